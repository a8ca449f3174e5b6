package org.hyperport.common.loader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles small ELF files for tests: a header, a program header table with PT_LOAD segments and at most one PT_NOTE
 * segment, and optionally SHT_NOTE sections outside every segment. Layout: ELF header, program headers, segment data
 * (each 16-byte aligned), PT_NOTE data, section notes, section header table.
 */
public final class ElfBuilder {

    /** Program header table offset: right after the ELF header. */
    public static int phoff(boolean is64) {
        return is64 ? 64 : 52;
    }

    /** Size of one program header. */
    public static int phentsize(boolean is64) {
        return is64 ? 56 : 32;
    }

    private record Load(long vaddr, long paddr, byte[] data, long memsz, int flags) {
    }

    private record NoteSpec(String name, int type, byte[] desc) {
    }

    private final boolean is64;
    private final ByteOrder order;
    private final int machine;
    private long entry;
    private final List<Load> loads = new ArrayList<>();
    private final List<NoteSpec> segmentNotes = new ArrayList<>();
    private final List<NoteSpec> sectionNotes = new ArrayList<>();

    public ElfBuilder(boolean is64, ByteOrder order, int machine) {
        this.is64 = is64;
        this.order = order;
        this.machine = machine;
    }

    public static ElfBuilder x86_64() {
        return new ElfBuilder(true, ByteOrder.LITTLE_ENDIAN, ElfImage.EM_X86_64);
    }

    public ElfBuilder entry(long e) {
        entry = e;
        return this;
    }

    public ElfBuilder load(long vaddr, long paddr, byte[] data, long memsz) {
        loads.add(new Load(vaddr, paddr, data, memsz, ElfImage.PF_R | ElfImage.PF_X));
        return this;
    }

    public ElfBuilder note(String name, int type, byte[] desc) {
        segmentNotes.add(new NoteSpec(name, type, desc));
        return this;
    }

    public ElfBuilder sectionNote(String name, int type, byte[] desc) {
        sectionNotes.add(new NoteSpec(name, type, desc));
        return this;
    }

    public byte[] build() {
        int ehsize = phoff(is64);
        int phent = phentsize(is64);
        int phnum = loads.size() + (segmentNotes.isEmpty() ? 0 : 1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int base = ehsize + phnum * phent;
        List<Integer> loadOffsets = new ArrayList<>();
        for (Load l : loads) {
            pad(body, base, 16);
            loadOffsets.add(base + body.size());
            body.writeBytes(l.data());
        }
        pad(body, base, 4);
        int noteOff = base + body.size();
        byte[] noteBytes = notes(segmentNotes);
        body.writeBytes(noteBytes);
        int sectionNoteOff = base + body.size();
        byte[] sectionNoteBytes = notes(sectionNotes);
        body.writeBytes(sectionNoteBytes);
        pad(body, base, 8);
        int shoff = base + body.size();
        int shnum = sectionNotes.isEmpty() ? 0 : 2;

        ByteBuffer out = ByteBuffer.allocate(shoff + shnum * (is64 ? 64 : 40)).order(order);
        out.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1
                : 2), 1});
        out.position(16);
        out.putShort((short) ElfImage.ET_EXEC).putShort((short) machine).putInt(1);
        word(out, entry);
        word(out, phnum == 0 ? 0 : ehsize);
        word(out, shnum == 0 ? 0 : shoff);
        out.putInt(0).putShort((short) ehsize).putShort((short) phent).putShort((short) phnum);
        out.putShort((short) (is64 ? 64 : 40)).putShort((short) shnum).putShort((short) 0);
        for (int i = 0; i < loads.size(); i++) {
            Load l = loads.get(i);
            phdr(out, ElfImage.PT_LOAD, l.flags(), loadOffsets.get(i), l.vaddr(), l.paddr(), l.data().length,
                    l.memsz(), 16);
        }
        if (!segmentNotes.isEmpty()) {
            phdr(out, ElfImage.PT_NOTE, ElfImage.PF_R, noteOff, 0, 0, noteBytes.length, noteBytes.length, 4);
        }
        out.put(body.toByteArray());
        if (shnum > 0) {
            out.put(new byte[is64 ? 64 : 40]);
            out.putInt(0).putInt(ElfImage.SHT_NOTE);
            word(out, 0);
            word(out, 0);
            word(out, sectionNoteOff);
            word(out, sectionNoteBytes.length);
            out.putInt(0).putInt(0);
            word(out, 4);
            word(out, 0);
        }
        return out.array();
    }

    private void phdr(ByteBuffer out, int type, int flags, long off, long vaddr, long paddr, long filesz, long memsz,
                      long align) {
        out.putInt(type);
        if (is64) {
            out.putInt(flags).putLong(off).putLong(vaddr).putLong(paddr).putLong(filesz).putLong(memsz)
                    .putLong(align);
        } else {
            out.putInt((int) off).putInt((int) vaddr).putInt((int) paddr).putInt((int) filesz).putInt((int) memsz)
                    .putInt(flags).putInt((int) align);
        }
    }

    private void word(ByteBuffer out, long v) {
        if (is64) {
            out.putLong(v);
        } else {
            out.putInt((int) v);
        }
    }

    private byte[] notes(List<NoteSpec> specs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (NoteSpec n : specs) {
            byte[] name = (n.name() + "\0").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer h = ByteBuffer.allocate(12).order(order);
            h.putInt(name.length).putInt(n.desc().length).putInt(n.type());
            o.writeBytes(h.array());
            o.writeBytes(name);
            pad(o, 0, 4);
            o.writeBytes(n.desc());
            pad(o, 0, 4);
        }
        return o.toByteArray();
    }

    private static void pad(ByteArrayOutputStream o, int base, int align) {
        while ((base + o.size()) % align != 0) {
            o.write(0);
        }
    }

    /** Overwrites a field of a built file, in {@code order}. */
    public static void put32(byte[] file, int off, long v, ByteOrder order) {
        ByteBuffer.wrap(file).order(order).putInt(off, (int) v);
    }

    public static void put64(byte[] file, int off, long v, ByteOrder order) {
        ByteBuffer.wrap(file).order(order).putLong(off, v);
    }

    public static void put16(byte[] file, int off, int v, ByteOrder order) {
        ByteBuffer.wrap(file).order(order).putShort(off, (short) v);
    }
}
