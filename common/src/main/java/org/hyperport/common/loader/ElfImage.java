package org.hyperport.common.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.HyperportException;

/**
 * A strictly validated ELF file: ELF32 or ELF64, either byte order, any machine. Architectures: all (the loaders of
 * x86 PVH/Multiboot/vmlinux, s390 and pseries kernels and IA-64 Ski images use it).
 *
 * <p>Follows the System V gABI "ELF Header", "Program Header" and "Note Section" chapters. Everything the loader
 * uses is checked when the file is parsed — header size, program and section header tables inside the file,
 * {@code p_filesz <= p_memsz}, segment data inside the file, address ranges that do not wrap, well-formed notes —
 * so a corrupt file always fails with {@link HyperportException#badInput} naming the file and the problem, never with
 * a Java exception. Extended numbering ({@code e_phnum == PN_XNUM}, {@code e_shnum == 0}) is honoured.
 */
public final class ElfImage {

    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_386 = 3;
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_IA_64 = 50;
    public static final int EM_X86_64 = 62;
    public static final int PT_LOAD = 1;
    public static final int PT_NOTE = 4;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
    public static final int SHT_NOTE = 7;
    static final int PN_XNUM = 0xffff;

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};

    /**
     * One program header, fields widened to {@code long} and read as unsigned.
     *
     * @param index position in the program header table, for messages
     */
    public record Segment(int index, int type, int flags, long offset, long vaddr, long paddr, long filesz,
                          long memsz, long align) {

        /** Whether {@code [vaddr, vaddr+memsz)} contains {@code va}. */
        public boolean containsVaddr(long va) {
            return Long.compareUnsigned(va - vaddr, memsz) < 0;
        }

        /** Whether {@code [paddr, paddr+memsz)} contains {@code pa}. */
        public boolean containsPaddr(long pa) {
            return Long.compareUnsigned(pa - paddr, memsz) < 0;
        }
    }

    /**
     * One note from a PT_NOTE segment or SHT_NOTE section.
     *
     * @param name  owner name without its NUL ({@code "Xen"}, {@code "GNU"}, {@code "Linux"})
     * @param type  note type, meaning defined by the owner
     * @param desc  descriptor bytes
     * @param order byte order of the file, for {@link #descValue()}
     */
    public record Note(String name, int type, byte[] desc, ByteOrder order) {

        public Note {
            desc = desc.clone();
        }

        @Override
        public byte[] desc() {
            return desc.clone();
        }

        /** The descriptor as an unsigned 1-, 2-, 4- or 8-byte integer in the file's byte order. */
        public long descValue() {
            ByteBuffer b = ByteBuffer.wrap(desc).order(order);
            return switch (desc.length) {
                case 1 -> desc[0] & 0xffL;
                case 2 -> b.getShort(0) & 0xffffL;
                case 4 -> b.getInt(0) & 0xffff_ffffL;
                case 8 -> b.getLong(0);
                default -> throw new IllegalStateException("note " + name + "/" + type + " has a "
                        + desc.length + "-byte descriptor");
            };
        }
    }

    private final String name;
    private final byte[] bytes;
    private final int elfClass;
    private final ByteOrder order;
    private final int type;
    private final int machine;
    private final long entry;
    private final List<Segment> segments;
    private final List<Note> notes;

    private ElfImage(String name, byte[] bytes, Reader r) {
        this.name = name;
        this.bytes = bytes;
        this.elfClass = r.elfClass;
        this.order = r.order;
        this.type = r.u16(16);
        this.machine = r.u16(18);
        this.entry = r.word(24);
        Header h = r.header();
        this.segments = r.programHeaders(h);
        this.notes = r.notes(h, segments);
    }

    /** Whether {@code bytes} starts with the ELF magic {@code 7f 'E' 'L' 'F'}. */
    public static boolean isElf(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Parses and validates {@code bytes}; {@code name} (the file name) prefixes every error message. */
    public static ElfImage parse(String name, byte[] bytes) {
        if (!isElf(bytes)) {
            throw bad(name, "not an ELF file (no \\x7fELF magic)");
        }
        return new ElfImage(name, bytes, new Reader(name, bytes));
    }

    public String name() {
        return name;
    }

    /** {@link #ELFCLASS32} or {@link #ELFCLASS64}. */
    public int elfClass() {
        return elfClass;
    }

    public boolean is64() {
        return elfClass == ELFCLASS64;
    }

    /** Byte order from {@code EI_DATA}. */
    public ByteOrder order() {
        return order;
    }

    /** {@code e_type}: {@link #ET_EXEC}, {@link #ET_DYN}, ... */
    public int type() {
        return type;
    }

    /** {@code e_machine}: {@link #EM_X86_64}, {@link #EM_386}, ... */
    public int machine() {
        return machine;
    }

    /** {@code e_entry}, a virtual address. */
    public long entry() {
        return entry;
    }

    /** Every program header, in table order. */
    public List<Segment> segments() {
        return segments;
    }

    /** The PT_LOAD program headers, in table order. */
    public List<Segment> loadSegments() {
        return segments.stream().filter(s -> s.type() == PT_LOAD).toList();
    }

    /** Every note of every PT_NOTE segment, then of SHT_NOTE sections no PT_NOTE segment covers. */
    public List<Note> notes() {
        return notes;
    }

    /** The first note with this owner name and type. */
    public Optional<Note> findNote(String owner, int noteType) {
        return notes.stream().filter(n -> n.name().equals(owner) && n.type() == noteType).findFirst();
    }

    /** The file bytes of a segment ({@code p_filesz} bytes at {@code p_offset}), as a loadable run. */
    public RawImage data(Segment s) {
        if (Long.compareUnsigned(s.offset(), bytes.length) > 0
                || Long.compareUnsigned(s.filesz(), bytes.length - s.offset()) > 0) {
            throw bad(name, String.format("segment %d: data at offset 0x%x (0x%x bytes) lies past the end of the"
                    + " file (%d bytes)", s.index(), s.offset(), s.filesz(), bytes.length));
        }
        return new RawImage(name, bytes, (int) s.offset(), (int) s.filesz());
    }

    /**
     * {@code e_entry} as a physical address: translated through the PT_LOAD whose virtual range holds it, else taken
     * as is when a PT_LOAD's physical range holds it (Linux vmlinux's {@code e_entry} is already physical).
     */
    public long entryPaddr() {
        for (Segment s : loadSegments()) {
            if (s.containsVaddr(entry)) {
                return entry - s.vaddr() + s.paddr();
            }
        }
        for (Segment s : loadSegments()) {
            if (s.containsPaddr(entry)) {
                return entry;
            }
        }
        throw bad(name, String.format("entry point 0x%x is not inside any PT_LOAD segment", entry));
    }

    /** The highest {@code p_paddr + p_memsz} of all PT_LOAD segments (0 if none). */
    public long paddrEnd() {
        long end = 0;
        for (Segment s : loadSegments()) {
            if (s.memsz() > 0 && Long.compareUnsigned(s.paddr() + s.memsz(), end) > 0) {
                end = s.paddr() + s.memsz();
            }
        }
        return end;
    }

    /**
     * Copies every PT_LOAD segment to {@code p_paddr} in {@code mem}, zero-filling from {@code p_filesz} to
     * {@code p_memsz}. Checks all segments against RAM before writing any.
     *
     * @return {@link #paddrEnd()}
     */
    public long loadInto(GuestMemory mem) {
        for (Segment s : loadSegments()) {
            RawImage.requireRam(mem, name, s.paddr(), s.memsz());
        }
        for (Segment s : loadSegments()) {
            data(s).loadAt(mem, s.paddr(), s.memsz());
        }
        return paddrEnd();
    }

    /** A human name for {@code e_machine}, for messages. */
    public static String machineName(int machine) {
        return switch (machine) {
            case EM_386 -> "EM_386";
            case EM_PPC64 -> "EM_PPC64";
            case EM_S390 -> "EM_S390";
            case EM_IA_64 -> "EM_IA_64";
            case EM_X86_64 -> "EM_X86_64";
            case 40 -> "EM_ARM";
            case 183 -> "EM_AARCH64";
            case 243 -> "EM_RISCV";
            default -> "machine " + machine;
        };
    }

    static HyperportException bad(String name, String what) {
        return HyperportException.badInput(name + ": " + what);
    }

    /** Table locations from the ELF header, after extended numbering. */
    private record Header(long phoff, int phentsize, int phnum, long shoff, int shentsize, int shnum) {
    }

    /** Bounds-checked field access over the file in its byte order. */
    private static final class Reader {
        private final String name;
        private final byte[] bytes;
        private final ByteBuffer buf;
        private final int elfClass;
        private final ByteOrder order;
        private final boolean is64;

        Reader(String name, byte[] bytes) {
            this.name = name;
            this.bytes = bytes;
            if (bytes.length < 16) {
                throw bad(name, "truncated ELF identification (" + bytes.length + " bytes, need 16)");
            }
            elfClass = bytes[4];
            if (elfClass != ELFCLASS32 && elfClass != ELFCLASS64) {
                throw bad(name, "bad ELF class " + elfClass + " (EI_CLASS must be 1 or 2)");
            }
            order = switch (bytes[5]) {
                case 1 -> ByteOrder.LITTLE_ENDIAN;
                case 2 -> ByteOrder.BIG_ENDIAN;
                default -> throw bad(name, "bad ELF data encoding " + bytes[5] + " (EI_DATA must be 1 or 2)");
            };
            if (bytes[6] != 1) {
                throw bad(name, "bad ELF version " + bytes[6] + " in EI_VERSION");
            }
            is64 = elfClass == ELFCLASS64;
            this.buf = ByteBuffer.wrap(bytes).order(order);
            int ehsize = is64 ? 64 : 52;
            if (bytes.length < ehsize) {
                throw bad(name, "truncated ELF header (" + bytes.length + " bytes, need " + ehsize + ")");
            }
            if (u32(20) != 1) {
                throw bad(name, "bad ELF version " + u32(20) + " in e_version");
            }
            if (u16(is64 ? 52 : 40) < ehsize) {
                throw bad(name, "e_ehsize " + u16(is64 ? 52 : 40) + " is smaller than the " + ehsize
                        + "-byte ELF header");
            }
        }

        int u16(long off) {
            check(off, 2);
            return buf.getShort((int) off) & 0xffff;
        }

        long u32(long off) {
            check(off, 4);
            return buf.getInt((int) off) & 0xffff_ffffL;
        }

        long u64(long off) {
            check(off, 8);
            return buf.getLong((int) off);
        }

        /** An address or offset: 4 bytes in ELF32, 8 in ELF64. */
        long word(long off) {
            return is64 ? u64(off) : u32(off);
        }

        private void check(long off, long len) {
            if (!inFile(off, len)) {
                throw bad(name, String.format("truncated: field at 0x%x lies past the end of the file", off));
            }
        }

        boolean inFile(long off, long len) {
            return Long.compareUnsigned(off, bytes.length) <= 0 && Long.compareUnsigned(len, bytes.length - off) <= 0;
        }

        Header header() {
            long phoff = word(is64 ? 32 : 28);
            long shoff = word(is64 ? 40 : 32);
            int phentsize = u16(is64 ? 54 : 42);
            int phnum = u16(is64 ? 56 : 44);
            int shentsize = u16(is64 ? 58 : 46);
            int shnum = u16(is64 ? 60 : 48);
            int minSh = is64 ? 64 : 40;
            if (shoff != 0) {
                if (shentsize < minSh) {
                    throw bad(name, "e_shentsize " + shentsize + " is smaller than a section header (" + minSh + ")");
                }
                table(shoff, shentsize, 1, "section header table");
                if (shnum == 0) {
                    long real = word(shoff + (is64 ? 32 : 20));
                    if (real > 0xffff_ffL) {
                        throw bad(name, "section count " + real + " in section 0 is implausible");
                    }
                    shnum = (int) real;
                }
                table(shoff, shentsize, shnum, "section header table");
            }
            if (phnum == PN_XNUM) {
                if (shoff == 0) {
                    throw bad(name, "e_phnum is PN_XNUM but there is no section header 0 holding the count");
                }
                phnum = (int) u32(shoff + (is64 ? 44 : 28));
            }
            int minPh = is64 ? 56 : 32;
            if (phnum > 0) {
                if (phentsize < minPh) {
                    throw bad(name, "e_phentsize " + phentsize + " is smaller than a program header (" + minPh + ")");
                }
                table(phoff, phentsize, phnum, "program header table");
            }
            return new Header(phoff, phentsize, phnum, shoff, shentsize, shnum);
        }

        private void table(long off, int entsize, long count, String what) {
            long size = entsize * count;
            if (count < 0 || !inFile(off, size)) {
                throw bad(name, String.format("%s (offset 0x%x, %d entries of %d bytes) lies outside the file"
                        + " (%d bytes)", what, off, count, entsize, bytes.length));
            }
        }

        List<Segment> programHeaders(Header h) {
            List<Segment> list = new ArrayList<>(h.phnum());
            for (int i = 0; i < h.phnum(); i++) {
                long p = h.phoff() + (long) i * h.phentsize();
                Segment s = is64
                        ? new Segment(i, (int) u32(p), (int) u32(p + 4), u64(p + 8), u64(p + 16), u64(p + 24),
                                u64(p + 32), u64(p + 40), u64(p + 48))
                        : new Segment(i, (int) u32(p), (int) u32(p + 24), u32(p + 4), u32(p + 8), u32(p + 12),
                                u32(p + 16), u32(p + 20), u32(p + 28));
                if (s.type() == PT_LOAD || s.type() == PT_NOTE) {
                    validate(s);
                }
                list.add(s);
            }
            return List.copyOf(list);
        }

        private void validate(Segment s) {
            String seg = "segment " + s.index();
            if (s.type() == PT_LOAD && Long.compareUnsigned(s.filesz(), s.memsz()) > 0) {
                throw bad(name, String.format("%s: p_filesz 0x%x is larger than p_memsz 0x%x", seg, s.filesz(),
                        s.memsz()));
            }
            if (!inFile(s.offset(), s.filesz())) {
                throw bad(name, String.format("%s: data at offset 0x%x (0x%x bytes) lies past the end of the file"
                        + " (%d bytes)", seg, s.offset(), s.filesz(), bytes.length));
            }
            if (s.type() == PT_LOAD) {
                noWrap(seg + " p_vaddr", s.vaddr(), s.memsz());
                noWrap(seg + " p_paddr", s.paddr(), s.memsz());
                if (s.align() > 1 && Long.bitCount(s.align()) != 1) {
                    throw bad(name, String.format("%s: p_align 0x%x is not a power of two", seg, s.align()));
                }
            }
        }

        private void noWrap(String what, long addr, long size) {
            long limit = is64 ? 0 : 1L << 32;  // 0 stands for 2^64
            long end = addr + size;
            boolean wraps = is64 ? Long.compareUnsigned(end, addr) < 0 && end != limit : end > limit;
            if (wraps) {
                throw bad(name, String.format("%s 0x%x + size 0x%x overflows the %d-bit address space", what, addr,
                        size, is64 ? 64 : 32));
            }
        }

        List<Note> notes(Header h, List<Segment> segments) {
            List<Note> list = new ArrayList<>();
            List<long[]> covered = new ArrayList<>();
            for (Segment s : segments) {
                if (s.type() == PT_NOTE) {
                    parseNotes(list, s.offset(), s.filesz(), s.align(), "segment " + s.index());
                    covered.add(new long[] {s.offset(), s.offset() + s.filesz()});
                }
            }
            for (int i = 0; i < h.shnum(); i++) {
                long p = h.shoff() + (long) i * h.shentsize();
                if (u32(p + 4) != SHT_NOTE) {
                    continue;
                }
                long off = word(p + (is64 ? 24 : 16));
                long size = word(p + (is64 ? 32 : 20));
                long align = word(p + (is64 ? 48 : 32));
                if (!inFile(off, size)) {
                    throw bad(name, String.format("section %d: notes at offset 0x%x (0x%x bytes) lie past the end"
                            + " of the file (%d bytes)", i, off, size, bytes.length));
                }
                boolean inSegment = covered.stream().anyMatch(c -> off >= c[0] && off + size <= c[1]);
                if (!inSegment) {
                    parseNotes(list, off, size, align, "section " + i);
                }
            }
            return List.copyOf(list);
        }

        /** Parses {@code Elf_Nhdr} records; name and descriptor are padded to 4 bytes, or 8 in an 8-aligned area. */
        private void parseNotes(List<Note> list, long off, long size, long align, String where) {
            long pad = align == 8 ? 8 : 4;
            long end = off + size;
            long pos = off;
            while (pos < end) {
                if (end - pos < 12) {
                    throw bad(name, String.format("%s: truncated note header at offset 0x%x", where, pos));
                }
                long namesz = u32(pos);
                long descsz = u32(pos + 4);
                int noteType = (int) u32(pos + 8);
                long nameOff = pos + 12;
                long descOff = alignUp(nameOff + namesz, pad);
                if (descOff > end || descsz > end - descOff) {
                    throw bad(name, String.format("%s: note at offset 0x%x (namesz %d, descsz %d) runs past the end"
                            + " of its area", where, pos, namesz, descsz));
                }
                int n = (int) namesz;
                while (n > 0 && bytes[(int) nameOff + n - 1] == 0) {
                    n--;
                }
                String owner = new String(bytes, (int) nameOff, n, StandardCharsets.US_ASCII);
                byte[] desc = Arrays.copyOfRange(bytes, (int) descOff, (int) (descOff + descsz));
                list.add(new Note(owner, noteType, desc, order));
                pos = alignUp(descOff + descsz, pad);
            }
        }

        private static long alignUp(long v, long a) {
            return (v + a - 1) & -a;
        }
    }
}
