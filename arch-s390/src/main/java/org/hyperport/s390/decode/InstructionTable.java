package org.hyperport.s390.decode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instruction tables, one resource file per chapter of the Principles of Operation ({@code general.insns} for
 * Ch. 7 "General Instructions", {@code control.insns} for Ch. 10 "Control Instructions", {@code io.insns} for Ch. 14
 * "I/O Instructions", {@code bfp.insns} for
 * Ch. 19 "Binary-Floating-Point Instructions"), written in the manual's own notation:
 *
 * <pre>
 * # mnemonic  format  opcode  facility  flags  name
 * AR          RR      1A      -         -      ADD (32)
 * LARL        RIL-b   C00     -         -      LOAD ADDRESS RELATIVE LONG
 * LCTLG       RSY-a   EB2F    -         P      LOAD CONTROL (64)
 * </pre>
 *
 * The opcode is as the manual prints it: two hex digits for a one-byte opcode, three when the second part is the
 * four-bit field at bits 12-15 (RI, RIL), four when it is the second byte (01xx, B2xx, B3xx, B9xx, E5xx) or the last
 * byte of a six-byte instruction (E3, E7, EB, EC, ED). Facility is the STFLE bit that installs the instruction, or
 * {@code -} for the base. Flag {@code P} marks a privileged instruction.
 */
public final class InstructionTable {

    /** Where the second part of the opcode sits, by first byte (PoP Ch. 5 "Instruction Formats"). */
    enum Extension { NONE, NIBBLE1, BYTE1, BYTE5 }

    public static final List<String> CHAPTERS = List.of("general", "control", "io", "bfp");

    private static final InstructionTable INSTANCE = load();

    private final List<Entry> entries;
    private final Entry[] byKey = new Entry[1 << 16];
    private final Map<String, Entry> byMnemonic = new LinkedHashMap<>();

    private InstructionTable(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) {
            int key = key(e.opcode());
            if (byKey[key] != null) {
                throw new IllegalStateException("opcode " + e.opcode() + " of " + e.mnemonic() + " is also "
                        + byKey[key].mnemonic());
            }
            if (byMnemonic.put(e.mnemonic(), e) != null) {
                throw new IllegalStateException("mnemonic " + e.mnemonic() + " appears twice");
            }
            byKey[key] = e;
        }
    }

    public static InstructionTable get() {
        return INSTANCE;
    }

    public List<Entry> entries() {
        return entries;
    }

    public Entry byMnemonic(String m) {
        return byMnemonic.get(m);
    }

    static Extension extension(int op1) {
        return switch (op1) {
            case 0x01, 0xb2, 0xb3, 0xb9, 0xe5 -> Extension.BYTE1;
            case 0xa5, 0xa7, 0xc0, 0xc2, 0xc4, 0xc6, 0xc8, 0xcc -> Extension.NIBBLE1;
            case 0xe3, 0xe7, 0xeb, 0xec, 0xed -> Extension.BYTE5;
            default -> Extension.NONE;
        };
    }

    /** Instruction length from the first byte's two leftmost bits (PoP Ch. 5 "Instruction-Length Code"). */
    public static int length(int op1) {
        return switch (op1 >>> 6) {
            case 0 -> 2;
            case 3 -> 6;
            default -> 4;
        };
    }

    private static int key(String opcode) {
        int op1 = Integer.parseInt(opcode.substring(0, 2), 16);
        Extension x = extension(op1);
        int expected = switch (x) {
            case NONE -> 2;
            case NIBBLE1 -> 3;
            default -> 4;
        };
        if (opcode.length() != expected) {
            throw new IllegalStateException("opcode " + opcode + ": first byte " + opcode.substring(0, 2)
                    + " takes " + expected + " hex digits");
        }
        return x == Extension.NONE ? op1 << 8 : (op1 << 8) | Integer.parseInt(opcode.substring(2), 16);
    }

    /** The table entry for the instruction whose bytes are left-aligned in {@code bits}, or null. */
    public Entry lookup(long bits) {
        int op1 = (int) (bits >>> 56);
        int ext = switch (extension(op1)) {
            case NONE -> 0;
            case NIBBLE1 -> (int) (bits >>> 48) & 0xf;
            case BYTE1 -> (int) (bits >>> 48) & 0xff;
            case BYTE5 -> (int) (bits >>> 16) & 0xff;
        };
        return byKey[(op1 << 8) | ext];
    }

    /**
     * Decodes the instruction left-aligned in {@code bits} into {@code out}. Returns false (and leaves
     * {@code out.entry} null) when no table entry matches: the caller raises an operation exception.
     */
    public boolean decode(long bits, Insn out) {
        Entry e = lookup(bits);
        out.clear();
        out.entry = e;
        int len = length((int) (bits >>> 56));
        out.length = len;
        out.bits = bits & (-1L << (64 - 8 * len));
        if (e == null) {
            return false;
        }
        e.format().extract(bits, out);
        return true;
    }

    private static InstructionTable load() {
        List<Entry> all = new ArrayList<>();
        for (String chapter : CHAPTERS) {
            String res = chapter + ".insns";
            try (InputStream in = InstructionTable.class.getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException("missing instruction table " + res);
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                int n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    String t = line.strip();
                    if (t.isEmpty() || t.startsWith("#")) {
                        continue;
                    }
                    String[] c = t.split("\\s+", 6);
                    if (c.length < 5) {
                        throw new IllegalStateException(res + ":" + n + ": expected mnemonic format opcode facility"
                                + " flags name");
                    }
                    Format f;
                    try {
                        f = Format.ofManualName(c[1]);
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalStateException(res + ":" + n + ": unknown format " + c[1]);
                    }
                    String opcode = c[2].toUpperCase(java.util.Locale.ROOT);
                    int op1 = Integer.parseInt(opcode.substring(0, 2), 16);
                    if (length(op1) != f.length) {
                        throw new IllegalStateException(res + ":" + n + ": " + c[0] + " opcode " + opcode
                                + " is " + length(op1) + " bytes but format " + c[1] + " is " + f.length);
                    }
                    int facility = c[3].equals("-") ? -1 : Integer.parseInt(c[3]);
                    boolean priv = c[4].contains("P");
                    all.add(new Entry(all.size(), c[0], f, opcode, facility, priv, chapter,
                            c.length > 5 ? c[5] : c[0]));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new InstructionTable(all);
    }
}
