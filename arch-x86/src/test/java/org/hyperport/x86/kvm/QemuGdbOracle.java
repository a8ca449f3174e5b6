package org.hyperport.x86.kvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * QEMU TCG as the oracle, driven through its gdb stub with the GDB remote serial protocol: {@code G} writes all
 * registers, {@code M} writes memory, {@code s} steps one instruction, {@code g} and {@code m} read back. QEMU
 * starts with no firmware run ({@code -S}); long mode is set up by writing CR0/CR3/CR4/EFER through the stub,
 * loading CS/DS/SS through a temporary GDT at address 0 (the reset GDTR), and stepping a stub (LGDT, LIDT, LTR,
 * LLDT null) that installs the {@link LockstepRig} tables. After every case QEMU is reset ({@code monitor
 * system_reset} through {@code qRcmd}) and set up again, so that no case inherits modes, hidden segment state,
 * CRs, MSRs or descriptor-table registers from an earlier one. QEMU 7.2's {@code g} packet has no segment bases,
 * descriptor-table registers or x87 tag word ({@code ftag} reads as 0 and writes are ignored), so x87 groups cannot
 * be judged here.
 */
final class QemuGdbOracle implements StepOracle {

    static final String QEMU = "qemu-system-x86_64";
    /** Offsets in the {@code g} packet of QEMU 7.2 x86-64: GPRs in gdb order, then as below; 608 bytes. */
    static final int RIP = 128, EFLAGS = 136, SEGS = 140, CR0 = 188, CR2 = 196, CR3 = 204, CR4 = 212, EFER = 228,
            ST = 236, FCTRL = 316, FSTAT = 320, XMM = 348, MXCSR = 604, SIZE = 608;
    /** gdb's GPR order to ours. */
    static final int[] GDB_GPR = {0, 3, 1, 2, 6, 7, 5, 4, 8, 9, 10, 11, 12, 13, 14, 15};
    static final long STUB = LockstepRig.CODE + 0x100, PSEUDO = 0x4000;

    private Process qemu;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int restarts;

    /** Null if the oracle can run here, else why not. */
    static String unavailable() {
        try {
            Process p = new ProcessBuilder(QEMU, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : QEMU + " --version failed";
        } catch (IOException | InterruptedException e) {
            return QEMU + " not found: " + e.getMessage();
        }
    }

    QemuGdbOracle() throws Exception {
        try {
            start();
        } catch (Exception e) {
            close(); // never leave a QEMU behind
            throw e;
        }
    }

    /** A fresh QEMU, connected, in the rig's long mode. */
    private void start() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // An Intel vendor string: QEMU makes SYSENTER/SYSEXIT #UD in long mode for any other vendor (the AMD rule);
        // the interpreter follows the Intel SDM.
        qemu = new ProcessBuilder(QEMU, "-accel", "tcg", "-M", "pc", "-m", "16", "-cpu", "qemu64,vendor=GenuineIntel",
                "-nodefaults", "-display", "none", "-S", "-gdb", "tcp:127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Socket s = null;
        for (int i = 0; i < 100 && s == null; i++) {
            try {
                s = new Socket(InetAddress.getLoopbackAddress(), port);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        if (s == null) {
            qemu.destroyForcibly();
            throw new IOException("cannot connect to QEMU's gdb stub on port " + port);
        }
        socket = s;
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        request("qSupported:xmlRegisters=i386");
        for (long[] w : LockstepRig.tables()) {
            writeMemory(w[0], le(w[1], 8));
        }
        enterLongMode();
    }

    /** From reset (or any state): the rig's long mode, tables and TR. */
    private void enterLongMode() throws IOException {
        writeMemory(0x08, le(0x00af9b000000ffffL, 8)); // temporary GDT at the reset GDTR base
        writeMemory(0x10, le(0x00cf93000000ffffL, 8));
        // Outside 64-bit code QEMU 7.2's G handler takes FS_BASE..EFER as 4 bytes each, though g sends 8.
        X86CpuState base = LockstepRig.baseState();
        byte[] regs = readRegisters();
        long[] sys = {0, 0, 0, base.cr0, 0, base.cr3, base.cr4, 0, base.efer};
        if ((get(regs, CR0, 8) & 1) == 0) {
            writeRegisters(legacyLayout(regs, sys)); // from reset
        } else {
            for (int k = 0; k < 6; k++) { // still 64-bit code: make every selector load again below
                put(regs, SEGS + 4 * k, 0x30, 4);
            }
            writeRegisters(regs);
        }
        put(regs, 164, 0, 8);
        put(regs, 172, 0, 8);
        put(regs, 180, 0, 8);
        for (int k = 0; k < 6; k++) {
            put(regs, SEGS + 4 * k, k == 0 ? 0x08 : 0x10, 4);
        }
        put(regs, CR0, base.cr0, 8);
        put(regs, CR3, base.cr3, 8);
        put(regs, CR4, base.cr4, 8);
        put(regs, EFER, base.efer, 8);
        // CS from the temporary GDT; with EFER.LMA already set that makes 64-bit code, so the rest of this
        // packet is parsed with 8-byte FS_BASE..EFER.
        writeRegisters(regs);
        installTables();
    }

    private static byte[] legacyLayout(byte[] regs, long[] sys) {
        byte[] w = new byte[SIZE - 36];
        System.arraycopy(regs, 0, w, 0, 164);
        for (int k = 0; k < sys.length; k++) {
            put(w, 164 + 4 * k, sys[k], 4);
        }
        System.arraycopy(regs, ST, w, 200, SIZE - ST);
        return w;
    }

    /** LGDT, LIDT and LTR through a stub, which is how the rig's GDTR, IDTR and TR get into QEMU. */
    private void installTables() throws IOException {
        byte[] pseudo = new byte[0x20];
        System.arraycopy(le(0x37 | (LockstepRig.GDT << 16), 8), 0, pseudo, 0, 8);
        System.arraycopy(le(0xfff | (LockstepRig.IDT << 16), 8), 0, pseudo, 0x10, 8);
        writeMemory(PSEUDO, pseudo);
        writeMemory(LockstepRig.GDT + 0x18, le(0x0000890000000067L | ((LockstepRig.TSS & 0xffffff) << 16), 8));
        // LGDT, LIDT, MOV AX,0x18, LTR AX, XOR EAX,EAX, LLDT AX: QEMU's LDTR after reset is base 0, limit 0xFFFF,
        // usable, where the rig's is null (selectors with TI=1 would find descriptors in low memory).
        byte[] stub = HexFormat.of().parseHex("0f01142500400000" + "0f011c2510400000" + "66b81800" + "0f00d8"
                + "31c0" + "0f00d0");
        writeMemory(STUB, stub);
        byte[] regs = readRegisters();
        put(regs, RIP, STUB, 8);
        put(regs, EFLAGS, 2, 4);
        writeRegisters(regs);
        for (int k = 0; k < 6; k++) {
            step();
        }
        long rip = get(readRegisters(), RIP, 8);
        if (rip != STUB + stub.length) {
            throw new IOException("QEMU set-up stub stopped at 0x" + Long.toHexString(rip));
        }
    }

    @Override
    public String name() {
        return "QEMU";
    }

    @Override
    public Outcome step(CpuSnapshot before, byte[] code, byte[] data) throws Exception {
        byte[] c = new byte[code.length + 2];
        System.arraycopy(code, 0, c, 0, code.length);
        System.arraycopy(LockstepRig.TRAILER, 0, c, code.length, 2);
        writeMemory(LockstepRig.IP, c);
        writeMemory(LockstepRig.DATA, data);
        X86CpuState s = new X86CpuState();
        s.restore(before);
        byte[] regs = readRegisters();
        for (int k = 0; k < 16; k++) {
            put(regs, 8 * k, s.gpr[GDB_GPR[k]], 8);
        }
        put(regs, RIP, s.rip, 8);
        put(regs, EFLAGS, s.rflags, 4);
        int[] sel = {s.cs.selector, s.ss.selector, s.ds.selector, s.es.selector, s.fs.selector, s.gs.selector};
        for (int k = 0; k < 6; k++) {
            put(regs, SEGS + 4 * k, sel[k], 4);
        }
        put(regs, CR0, s.cr0, 8);
        put(regs, CR2, s.cr2, 8);
        put(regs, CR3, s.cr3, 8);
        put(regs, CR4, s.cr4, 8);
        put(regs, EFER, s.efer, 8);
        for (int k = 0; k < 8; k++) {
            put(regs, ST + 10 * k, s.st[2 * k], 8);
            put(regs, ST + 10 * k + 8, s.st[2 * k + 1], 2);
        }
        put(regs, FCTRL, s.fcw, 4);
        put(regs, FSTAT, s.fsw, 4);
        for (int k = 0; k < 32; k++) {
            put(regs, XMM + 8 * k, s.xmm[k], 8);
        }
        put(regs, MXCSR, s.mxcsr, 4);
        writeRegisters(regs);
        return resume(data.length, s, code);
    }

    @Override
    public Outcome resume(int dataLength) throws Exception {
        throw new UnsupportedOperationException("rep-string continuation is not used for QEMU-judged groups");
    }

    private Outcome resume(int dataLength, X86CpuState s, byte[] code) throws Exception {
        String stop = step();
        if (!stop.startsWith("T05") && !stop.startsWith("S05")) {
            return Outcome.notJudged("QEMU stop " + stop);
        }
        byte[] regs = readRegisters();
        for (int k = 0; k < 16; k++) {
            s.gpr[GDB_GPR[k]] = get(regs, 8 * k, 8);
        }
        s.rip = get(regs, RIP, 8);
        s.rflags = get(regs, EFLAGS, 4);
        s.cs.selector = (int) get(regs, SEGS, 2);
        s.ss.selector = (int) get(regs, SEGS + 4, 2);
        s.ds.selector = (int) get(regs, SEGS + 8, 2);
        s.es.selector = (int) get(regs, SEGS + 12, 2);
        s.fs.selector = (int) get(regs, SEGS + 16, 2);
        s.gs.selector = (int) get(regs, SEGS + 20, 2);
        s.cr0 = get(regs, CR0, 8);
        s.cr2 = get(regs, CR2, 8);
        s.cr3 = get(regs, CR3, 8);
        s.cr4 = get(regs, CR4, 8);
        s.efer = get(regs, EFER, 8);
        for (int k = 0; k < 8; k++) {
            s.st[2 * k] = get(regs, ST + 10 * k, 8);
            s.st[2 * k + 1] = get(regs, ST + 10 * k + 8, 2);
        }
        s.fcw = (int) get(regs, FCTRL, 2);
        s.fsw = (int) get(regs, FSTAT, 2);
        for (int k = 0; k < 32; k++) {
            s.xmm[k] = get(regs, XMM + 8 * k, 8);
        }
        s.mxcsr = (int) get(regs, MXCSR, 4);
        CpuSnapshot after = s.snapshot();
        // Whatever the case did to modes, selectors' hidden state, CRs, EFER, GDTR, IDTR or TR: a system reset and
        // the set-up stub bring QEMU back to exactly the rig's state before anything else is read or written. (The
        // gdb stub reloads a segment's hidden state only when its selector changes, and parses FS_BASE..EFER with
        // the width of the current code segment, so patching registers back is not reliable.) Memory reads go
        // through the rig's paging afterwards; a reset leaves RAM as it was.
        recover();
        byte[] byteData = readMemory(LockstepRig.DATA, dataLength);
        return new Outcome(after, byteData, null);
    }

    /** Back to the rig's long mode through a system reset; a new QEMU if even that fails. */
    private void recover() throws Exception {
        try {
            monitor("system_reset");
            enterLongMode();
        } catch (IOException e) {
            if (++restarts > 50) {
                throw e;
            }
            close();
            try {
                start();
            } catch (Exception again) {
                close();
                throw again;
            }
        }
    }

    /** A QEMU monitor command through the gdb stub ({@code qRcmd}); console output packets are skipped. */
    private void monitor(String command) throws IOException {
        String reply = request("qRcmd," + HexFormat.of().formatHex(command.getBytes(StandardCharsets.US_ASCII)));
        while (reply.startsWith("O") && !reply.equals("OK")) {
            reply = readPacket();
        }
        expectOk(reply, "qRcmd " + command);
    }

    private String step() throws IOException {
        return request("s");
    }

    private byte[] readRegisters() throws IOException {
        String g = request("g");
        byte[] b = HexFormat.of().parseHex(g.replace('x', '0'));
        if (b.length < SIZE) {
            throw new IOException("short g reply: " + b.length + " bytes");
        }
        return b;
    }

    private void writeRegisters(byte[] regs) throws IOException {
        expectOk(request("G" + HexFormat.of().formatHex(regs)), "G");
    }

    private void writeMemory(long addr, byte[] bytes) throws IOException {
        for (int off = 0; off < bytes.length; off += 0x7c0) {
            int n = Math.min(0x7c0, bytes.length - off);
            expectOk(request("M" + Long.toHexString(addr + off) + "," + Integer.toHexString(n) + ":"
                    + HexFormat.of().formatHex(bytes, off, off + n)), "M");
        }
    }

    private byte[] readMemory(long addr, int len) throws IOException {
        byte[] b = new byte[len];
        for (int off = 0; off < len; off += 0x7c0) {
            int n = Math.min(0x7c0, len - off);
            byte[] part = HexFormat.of().parseHex(request("m" + Long.toHexString(addr + off) + ","
                    + Integer.toHexString(n)));
            System.arraycopy(part, 0, b, off, n);
        }
        return b;
    }

    private static void expectOk(String reply, String what) throws IOException {
        if (!reply.equals("OK")) {
            throw new IOException(what + " packet: " + reply);
        }
    }

    /** One packet out, its reply back (acknowledged), per the GDB remote protocol's framing. */
    private String request(String payload) throws IOException {
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) {
            sum += payload.charAt(i);
        }
        out.write(("$" + payload + "#" + String.format("%02x", sum & 0xff)).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readPacket();
    }

    /** The next packet from QEMU, acknowledged. */
    private String readPacket() throws IOException {
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("QEMU closed the gdb connection");
            }
            if (c == '$') {
                break;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '#'; c = in.read()) {
            if (c < 0) {
                throw new IOException("QEMU closed the gdb connection");
            }
            sb.append((char) c);
        }
        in.read();
        in.read();
        out.write('+');
        return sb.toString();
    }

    private static void put(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long get(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }

    private static byte[] le(long v, int n) {
        byte[] b = new byte[n];
        put(b, 0, v, n);
        return b;
    }

    @Override
    public void close() throws Exception {
        try {
            if (socket != null) {
                socket.close();
            }
        } finally {
            if (qemu != null) {
                qemu.destroyForcibly();
                qemu.waitFor();
            }
        }
    }
}
