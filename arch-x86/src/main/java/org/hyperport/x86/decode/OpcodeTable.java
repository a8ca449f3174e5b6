package org.hyperport.x86.decode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The opcode maps of SDM Vol. 2 Appendix A as dense arrays, built once from {@code opcode-map.txt} (whose header
 * documents the notation).
 *
 * <p>There is one table per mode family (16/32-bit, and 64-bit, where i64 forms are absent and o64 forms present).
 * Each has 4 maps × 4 prefix columns (none, 66, F3, F2) × 256 opcodes. A cell is either a form, used for every
 * ModR/M byte it accepts, or a 256-entry array indexed by the ModR/M byte, for group opcodes (Table A-6), x87
 * escapes (Tables A-7..A-22) and opcodes whose register and memory forms differ. A prefix column that has no form
 * for some ModR/M byte falls back to the prefix-transparent form (a line without NP/66/F2/F3), so 66 0F AF is IMUL
 * with a 16-bit operand and F3 0F 1E C8 is the hint NOP while F3 0F 1E FA is ENDBR64.
 */
final class OpcodeTable {

    static final int LEGACY = 0, LONG = 1;
    /** Prefix columns. */
    static final int COL_NONE = 0, COL_66 = 1, COL_F3 = 2, COL_F2 = 3;

    private static final String RESOURCE = "opcode-map.txt";
    private static final String[] CONDITIONS = {"O", "NO", "B", "AE", "E", "NE", "BE", "A", "S", "NS", "P", "NP",
        "L", "GE", "LE", "G"};

    /** [table][index(map, column, opcode)]: the form used for every acceptable ModR/M byte, or null. */
    static final Form[][] DIRECT = new Form[2][4096];
    /** [table][index]: forms by ModR/M byte, or null. */
    static final Form[][][] BY_MODRM = new Form[2][4096][];
    /** Every form of the table, in file order. */
    static final List<Form> FORMS;
    /** 90 with REX.B in 64-bit mode: XCHG r8,rAX rather than NOP. */
    static final Form XCHG_R8;

    static int index(int map, int column, int opcode) {
        return (map << 10) | (column << 8) | opcode;
    }

    static {
        Builder b = new Builder();
        try (InputStream in = OpcodeTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                b.line(line, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.build();
        FORMS = Collections.unmodifiableList(b.forms);
        Form xchg = null;
        for (Form f : b.forms) {
            if (f.map == 0 && f.opcode == 0x90 && f.ops[0] == Op.XCHG) {
                xchg = f;
            }
        }
        XCHG_R8 = xchg;
    }

    private OpcodeTable() {
    }

    /** The form for a ModR/M byte (or -1 for "no ModR/M fetched"), as the decoder finds it; null means #UD. */
    static Form lookup(int table, int map, int column, int opcode, int modrm) {
        int i = index(map, column, opcode);
        Form f = DIRECT[table][i];
        if (f != null) {
            return f.hasModrm() && modrm >= 0 && !f.accepts(modrm) ? null : f;
        }
        Form[] by = BY_MODRM[table][i];
        return by == null || modrm < 0 ? null : by[modrm];
    }

    /** Collects lines, then places forms into staging cells and resolves the prefix columns. */
    private static final class Builder {
        final List<Form> forms = new ArrayList<>();
        final Set<String> lockable = new HashSet<>();
        /** [table][slot 0-3 = prefix column, 4 = transparent][map << 8 | opcode]. */
        final Cell[][][] cells = new Cell[2][5][1024];

        void line(String raw, int n) {
            int hash = raw.indexOf('#');
            String text = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (text.isEmpty()) {
                return;
            }
            try {
                if (text.startsWith("@lockable")) {
                    String[] names = text.split("\\s+");
                    for (int i = 1; i < names.length; i++) {
                        lockable.add(Op.valueOf(names[i]).name());
                    }
                    return;
                }
                parse(text, n);
            } catch (RuntimeException e) {
                throw new IllegalStateException(RESOURCE + ":" + n + ": " + e.getMessage() + ": " + text, e);
            }
        }

        private static boolean isHex(String t) {
            return t.length() == 2 && Character.digit(t.charAt(0), 16) >= 0 && Character.digit(t.charAt(1), 16) >= 0
                    && t.equals(t.toUpperCase());
        }

        private static boolean isOpcodeToken(String t) {
            return t.equals("NP") || t.equals("NFx") || t.equals("REX.W") || t.equals("11B") || t.equals("mem")
                    || t.matches("[0-9A-F]{2}(\\+(r|i|cc))?") || t.matches("/[0-7r]")
                    || t.matches("ib|iw|id|iz|io|cb|cw|cd|cp");
        }

        private static boolean isAttribute(String t) {
            return t.matches("i64|o64|d64|f64|pm|anymod|asz");
        }

        void parse(String text, int n) {
            String[] tok = text.split("\\s+");
            int i = 0;
            int prefixKind = Form.PK_TRANSPARENT;
            boolean rexW = false;
            if (tok[0].equals("NP")) {
                prefixKind = Form.PK_NP;
                i++;
            } else if (tok[0].equals("NFx")) {
                prefixKind = Form.PK_NFX;
                i++;
            } else if (tok.length > 1 && (isHex(tok[1]) || tok[1].equals("REX.W") || tok[1].contains("+"))
                    && (tok[0].equals("66") || tok[0].equals("F2") || tok[0].equals("F3"))) {
                prefixKind = switch (tok[0]) {
                    case "66" -> Form.PK_66;
                    case "F3" -> Form.PK_F3;
                    default -> Form.PK_F2;
                };
                i++;
            }
            if (tok[i].equals("REX.W")) {
                rexW = true;
                i++;
            }
            int map = 0;
            if (tok[i].equals("0F")) {
                map = 1;
                i++;
                if (tok[i].equals("38") || tok[i].equals("3A")) {
                    map = tok[i].equals("38") ? 2 : 3;
                    i++;
                }
            }
            String opTok = tok[i++];
            int plus = opTok.indexOf('+');
            int opcode = Integer.parseInt(plus < 0 ? opTok : opTok.substring(0, plus), 16);
            String opExpand = plus < 0 ? "" : opTok.substring(plus + 1);
            int modrmKind = Form.MODRM_NONE;
            int digit = -1;
            int exact = -1;
            boolean exactPlusI = false;
            int modSel = Form.MOD_ANY;
            List<String> immTokens = new ArrayList<>();
            while (i < tok.length && isOpcodeToken(tok[i])) {
                String t = tok[i++];
                if (t.equals("/r")) {
                    modrmKind = Form.MODRM_R;
                } else if (t.startsWith("/")) {
                    modrmKind = Form.MODRM_DIGIT;
                    digit = t.charAt(1) - '0';
                } else if (t.equals("11B")) {
                    modSel = Form.MOD_REG;
                } else if (t.equals("mem")) {
                    modSel = Form.MOD_MEM;
                } else if (Character.isLowerCase(t.charAt(0))) {
                    immTokens.add(t);
                } else {
                    if (modrmKind != Form.MODRM_NONE || !opExpand.isEmpty()) {
                        throw new IllegalArgumentException("unexpected " + t);
                    }
                    modrmKind = Form.MODRM_EXACT;
                    exactPlusI = t.endsWith("+i");
                    exact = Integer.parseInt(t.substring(0, 2), 16);
                    if (exact < 0xC0 || (exactPlusI && (exact & 7) != 0)) {
                        throw new IllegalArgumentException("a whole ModR/M byte must have mod=11B: " + t);
                    }
                    modSel = Form.MOD_REG;
                }
            }
            if (i >= tok.length) {
                throw new IllegalArgumentException("no mnemonic");
            }
            String mnemonic = tok[i++];
            Spec[] specs = new Spec[0];
            if (i < tok.length && !isAttribute(tok[i])) {
                String[] parts = tok[i++].split(",");
                specs = new Spec[parts.length];
                for (int k = 0; k < parts.length; k++) {
                    specs[k] = Spec.parse(parts[k]);
                }
            }
            int flags = 0;
            for (; i < tok.length; i++) {
                flags |= switch (tok[i]) {
                    case "i64" -> Form.I64;
                    case "o64" -> Form.O64;
                    case "d64" -> Form.D64;
                    case "f64" -> Form.F64;
                    case "pm" -> Form.PM;
                    case "anymod" -> Form.ANYMOD;
                    case "asz" -> Form.ASZ;
                    default -> throw new IllegalArgumentException("unknown attribute " + tok[i]);
                };
            }
            check(specs, modrmKind, immTokens, opExpand);
            int count = opExpand.equals("cc") ? 16 : opExpand.equals("r") || exactPlusI ? 8 : 1;
            for (int k = 0; k < count; k++) {
                String names = opExpand.equals("cc") ? mnemonic.replace("cc", CONDITIONS[k]) : mnemonic;
                Op[] ops = ops(names);
                int f = flags;
                if (lockable.contains(ops[0].name())) {
                    f |= Form.LOCKABLE;
                }
                if (ops[0] == Op.MOV && specs.length > 0 && specs[0].regClass == Operand.RegClass.SEG
                        && specs[0].source == Spec.REG) {
                    f |= Form.LOADS_SEGMENT;
                }
                int opc = opExpand.isEmpty() ? opcode : opcode + k;
                int ex = exactPlusI ? exact + k : exact;
                Form form = new Form(text, n, prefixKind, rexW, map, opc, modrmKind, digit, ex, modSel, ops, specs, f);
                forms.add(form);
                place(form, opExpand.isEmpty() ? 1 : 0);
            }
        }

        private static void check(Spec[] specs, int modrmKind, List<String> immTokens, String opExpand) {
            int rm = 0;
            List<String> trailing = new ArrayList<>();
            for (Spec s : specs) {
                if (s.source == Spec.RM || s.source == Spec.REG || s.source == Spec.STI) {
                    rm++;
                }
                if (s.source == Spec.OPCODE_REG && !opExpand.equals("r")) {
                    throw new IllegalArgumentException("Z operand without +r");
                }
                switch (s.source) {
                    case Spec.IMM -> trailing.add(switch (s.regType) {
                        case Spec.T_B -> "ib";
                        case Spec.T_W -> "iw";
                        case Spec.T_Z -> "iz";
                        case Spec.T_D -> "id";
                        default -> "io";
                    });
                    case Spec.REL -> trailing.add(s.regType == Spec.T_B ? "cb" : "cd");
                    case Spec.FAR -> trailing.add("cp");
                    default -> {
                    }
                }
            }
            if (rm > 0 && modrmKind == Form.MODRM_NONE) {
                throw new IllegalArgumentException("ModR/M operand without /r or /digit");
            }
            if (!immTokens.isEmpty() && !immTokens.equals(trailing)) {
                throw new IllegalArgumentException("immediates " + immTokens + " do not match operands " + trailing);
            }
        }

        private static Op[] ops(String names) {
            String[] n = names.split("/");
            Op a = Op.valueOf(n[0]);
            Op b = n.length > 1 ? Op.valueOf(n[1]) : a;
            Op c = n.length > 2 ? Op.valueOf(n[2]) : b;
            return new Op[] {a, b, c};
        }

        /** Puts {@code f} into the staging cells of the tables and prefix slots it belongs to. */
        private void place(Form f, int baseLevel) {
            int[] slots = switch (f.prefixKind) {
                case Form.PK_NP -> new int[] {COL_NONE};
                case Form.PK_NFX -> new int[] {COL_NONE, COL_66};
                case Form.PK_66 -> new int[] {COL_66};
                case Form.PK_F3 -> new int[] {COL_F3};
                case Form.PK_F2 -> new int[] {COL_F2};
                default -> new int[] {4};
            };
            for (int table = LEGACY; table <= LONG; table++) {
                if (table == LEGACY && f.has(Form.O64) || table == LONG && f.has(Form.I64)) {
                    continue;
                }
                for (int slot : slots) {
                    Cell c = cells[table][slot][(f.map << 8) | f.opcode];
                    if (c == null) {
                        c = cells[table][slot][(f.map << 8) | f.opcode] = new Cell();
                    }
                    c.put(f, baseLevel);
                }
            }
        }

        void build() {
            for (int table = LEGACY; table <= LONG; table++) {
                for (int map = 0; map < 4; map++) {
                    for (int col = 0; col < 4; col++) {
                        for (int opc = 0; opc < 256; opc++) {
                            resolve(table, map, col, opc);
                        }
                    }
                }
            }
        }

        private void resolve(int table, int map, int col, int opc) {
            Cell ex = cells[table][col][(map << 8) | opc];
            Cell tr = cells[table][4][(map << 8) | opc];
            if (ex == null && tr == null) {
                return;
            }
            int i = index(map, col, opc);
            Form plain = ex != null && ex.plain != null ? ex.plain : tr != null ? tr.plain : null;
            Form plainW = ex != null && ex.plain != null ? ex.plainW : tr != null ? tr.plainW : null;
            Form[] by = new Form[256];
            Form[] byW = new Form[256];
            boolean any = false;
            for (int m = 0; m < 256; m++) {
                Cell from = ex != null && ex.rm[m] != null ? ex : tr != null && tr.rm[m] != null ? tr : null;
                if (from != null) {
                    by[m] = from.rm[m];
                    byW[m] = from.rmW[m];
                    any = true;
                }
            }
            if (plain != null && any) {
                throw new IllegalStateException("forms with and without ModR/M at " + plain);
            }
            if (plain != null) {
                link(plain, plainW);
                DIRECT[table][i] = plain;
                return;
            }
            Form single = null;
            boolean uniform = any;
            for (int m = 0; m < 256; m++) {
                link(by[m], byW[m]);
                if (by[m] != null) {
                    if (single == null) {
                        single = by[m];
                    } else if (single != by[m]) {
                        uniform = false;
                    }
                }
            }
            if (uniform) {
                for (int m = 0; m < 256 && uniform; m++) {
                    uniform = (by[m] != null) == single.accepts(m);
                }
            }
            if (uniform) {
                DIRECT[table][i] = single;
            } else if (any) {
                BY_MODRM[table][i] = by;
            }
        }

        private static void link(Form base, Form w) {
            if (w == null) {
                return;
            }
            if (base == null) {
                throw new IllegalStateException("REX.W form without a default form: " + w);
            }
            if (base.w != null && base.w != w) {
                throw new IllegalStateException("two REX.W forms for " + base + ": " + base.w + ", " + w);
            }
            base.w = w;
        }
    }

    /** Staging for one (table, prefix slot, map, opcode): forms by ModR/M byte with precedence levels. */
    private static final class Cell {
        Form plain;
        int plainLevel = -1;
        Form plainW;
        final Form[] rm = new Form[256];
        final byte[] level = new byte[256];
        final Form[] rmW = new Form[256];

        void put(Form f, int baseLevel) {
            if (!f.hasModrm()) {
                if (f.rexW) {
                    plainW = checkW(plainW, f);
                    return;
                }
                if (plain != null && plainLevel == baseLevel) {
                    throw new IllegalStateException("conflicts with " + plain);
                }
                if (baseLevel > plainLevel) {
                    plain = f;
                    plainLevel = baseLevel;
                }
                return;
            }
            int lvl = switch (f.modrmKind) {
                case Form.MODRM_R -> 1;
                case Form.MODRM_DIGIT -> 2;
                default -> 3;
            };
            for (int m = 0; m < 256; m++) {
                boolean hit = switch (f.modrmKind) {
                    case Form.MODRM_EXACT -> m == f.exactModrm;
                    case Form.MODRM_DIGIT -> ((m >>> 3) & 7) == f.digit && f.accepts(m);
                    default -> f.accepts(m);
                };
                if (!hit) {
                    continue;
                }
                if (f.rexW) {
                    rmW[m] = checkW(rmW[m], f);
                } else if (rm[m] == null || level[m] < lvl) {
                    rm[m] = f;
                    level[m] = (byte) lvl;
                } else if (level[m] == lvl && rm[m] != f) {
                    throw new IllegalStateException("conflicts with " + rm[m] + " at ModR/M "
                            + Integer.toHexString(m));
                }
            }
        }

        private static Form checkW(Form old, Form f) {
            if (old != null && old != f) {
                throw new IllegalStateException("conflicts with " + old);
            }
            return f;
        }
    }
}
