package org.hyperport.s390.decode;

/**
 * One decoded instruction: its table {@link Entry}, its length and its fields (see {@link Format}). Mutable and
 * reused, so that decoding allocates nothing.
 */
public final class Insn {

    public Entry entry;
    public int length;
    /** The instruction's bytes, left-aligned (bit 0 of the instruction is bit 63). */
    public long bits;
    public int r1, r2, r3, x2, b1, b2, b4, m1, m3, m4, l1, l2, i1, i3, i5;
    public long d1, d2, d4, i2, i4;

    void clear() {
        r1 = r2 = r3 = x2 = b1 = b2 = b4 = m1 = m3 = m4 = l1 = l2 = i1 = i3 = i5 = 0;
        d1 = d2 = d4 = i2 = i4 = 0;
    }

    public String mnemonic() {
        return entry == null ? "(unknown)" : entry.mnemonic();
    }

    /** The bytes as hex, e.g. {@code a7f4 0008}. */
    public String hex() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < length; k += 2) {
            if (k > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%04x", (bits >>> (48 - 8 * k)) & 0xffff));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return mnemonic() + " [" + hex() + "]";
    }
}
