package org.hyperport.s390.interp;

/**
 * The storage key of every 4 KiB block of absolute storage (PoP Ch. 3 "Storage Key"): access-control bits (4),
 * fetch-protection bit, reference bit and change bit, in the layout ISKE returns: {@code ACC F R C} in bits 0-6 of
 * a byte (0xF0 ACC, 0x08 F, 0x04 R, 0x02 C). Shared by all CPUs of a machine.
 */
public final class StorageKeys {

    public static final int ACC = 0xf0, FETCH_PROTECTED = 0x08, REFERENCED = 0x04, CHANGED = 0x02;

    private final byte[] keys;

    public StorageKeys(long storageBytes) {
        keys = new byte[(int) ((storageBytes + 4095) >>> 12)];
    }

    public int get(long abs) {
        return keys[(int) (abs >>> 12)] & 0xfe;
    }

    public void set(long abs, int key) {
        keys[(int) (abs >>> 12)] = (byte) (key & 0xfe);
        generation++;
    }

    /** Whether {@code abs} lies in storage that has keys. */
    public boolean covers(long abs) {
        return abs >= 0 && (abs >>> 12) < keys.length;
    }

    /** Sets the reference bit of the block an access went to. */
    public void markReferenced(long abs) {
        int i = (int) (abs >>> 12);
        byte k = keys[i];
        if ((k & REFERENCED) == 0) {
            keys[i] = (byte) (k | REFERENCED);
        }
    }

    /**
     * Counts changes of access-control and fetch-protection bits ({@link #set}); a CPU whose TLB holds the results
     * of key checks drops them when it changes. Read without synchronisation: a change becomes visible to other
     * CPUs at their next synchronising point, as the PoP's serialisation of SSKE allows.
     */
    public int generation() {
        return generation;
    }

    private int generation;

    /** Sets the reference and change bits of the block a store went to. */
    public void markChanged(long abs) {
        int i = (int) (abs >>> 12);
        byte k = keys[i];
        if ((k & (REFERENCED | CHANGED)) != (REFERENCED | CHANGED)) {
            keys[i] = (byte) (k | REFERENCED | CHANGED);
        }
    }

    public int blocks() {
        return keys.length;
    }
}
