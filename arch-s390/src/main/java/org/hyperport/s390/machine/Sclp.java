package org.hyperport.s390.machine;

import java.nio.charset.Charset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperport.api.GuestMemory;
import org.hyperport.common.console.Console;

/**
 * The service-call logical processor behind SERVICE CALL, as QEMU's {@code s390-ccw-virtio} presents it: READ SCP
 * INFO, READ CPU INFO, and the event facility (WRITE EVENT MASK, WRITE EVENT DATA, READ EVENT DATA) with the VT220
 * console ({@code sclpconsole}, event type 0x1A), the line-mode console ({@code sclplmconsole}, message event 0x02 in
 * EBCDIC) and the signal-quiesce event (0x1D). Every command completes at once; the caller posts the service-signal
 * external interruption with the parameter {@link #execute} returns (the SCCB address with bit 31 set while event
 * buffers are pending, as Linux's {@code sclp_interrupt_handler} and QEMU's {@code sclp_service_interrupt} use it).
 *
 * <p>Thread-safe: SERVICE CALL from any CPU and console input from the console's thread.
 */
public final class Sclp {

    /** Command words (KUT {@code lib/s390x/sclp.h}, LNX {@code drivers/s390/char/sclp.h}). */
    public static final int CMD_READ_SCP_INFO = 0x00020001, CMD_READ_SCP_INFO_FORCED = 0x00120001,
            CMD_READ_CPU_INFO = 0x00010001, CMD_WRITE_EVENT_DATA = 0x00760005, CMD_READ_EVENT_DATA = 0x00770005,
            CMD_WRITE_EVENT_MASK = 0x00780005;

    /** The command-word bits that name the command; bits 16-23 (the resource number) do not (QEMU's mask). */
    static final int CMD_CODE_MASK = 0xffff00ff;

    /** Response codes. */
    public static final int RC_NORMAL_READ = 0x0010, RC_NORMAL = 0x0020, RC_BOUNDARY = 0x0100,
            RC_INVALID_COMMAND = 0x01f0, RC_INSUFFICIENT_LENGTH = 0x0300, RC_INVALID_FUNCTION = 0x40f0,
            RC_NO_EVENTS = 0x60f0, RC_INVALID_SELECTION_MASK = 0x70f0, RC_EVBUF_SYNTAX = 0x73f0,
            RC_INVALID_MASK_LENGTH = 0x74f0;

    /** Event types and their mask bits (type t is bit t-1 from the left of a 32-bit mask). */
    public static final int EV_OPCMD = 0x01, EV_MSG = 0x02, EV_VT220 = 0x1a, EV_QUIESCE = 0x1d;

    public static int maskBit(int type) {
        return 1 << (32 - type);
    }

    /** SCLP facility bits in READ SCP INFO: CPU info available, I/O adapter reconfiguration (as QEMU). */
    static final long FACILITIES = 0x0800000000000000L | 0x0000000040000000L;
    /** Offset of the CPU entries in READ SCP INFO, and their size. */
    public static final int SCP_INFO_CPU_OFFSET = 128, CPU_INFO_CPU_OFFSET = 24, CPU_ENTRY = 16;
    /** Storage increments at most (QEMU's MAX_STORAGE_INCREMENTS); the increment grows from 1 MiB to stay under. */
    static final int MAX_INCREMENTS = 1020;
    static final int BUFFER_ACCEPTED = 0x80;

    private static final Pattern EXIT_LINE = Pattern.compile("EXIT: STATUS=(\\d+)");
    private static final Charset EBCDIC = Charset.isSupported("IBM037") ? Charset.forName("IBM037") : null;

    private final GuestMemory mem;
    private final Console console;
    private final int cpus;
    private final boolean lineMode;
    private final long memoryBytes;

    /** The guest's masks from WRITE EVENT MASK: what it accepts (receive) and what it will send. */
    private int guestReceiveMask;
    private int guestSendMask;
    private boolean quiescePending;
    /** Console input arrived and has not been drained by READ EVENT DATA yet. */
    private boolean inputWaiting;
    /** The console line being written, for the test ABI's {@code EXIT: STATUS=n}. */
    private final StringBuilder line = new StringBuilder();
    private volatile int exitStatus = -1;

    /**
     * @param lineMode whether the console is the line-mode one ({@code sclplmconsole}); otherwise VT220
     *                 ({@code sclpconsole}). Only the chosen console is advertised in WRITE EVENT MASK, so a guest
     *                 that writes to every console it is offered (Linux early printk, kvm-unit-tests) prints once.
     */
    public Sclp(GuestMemory mem, long memoryBytes, Console console, int cpus, boolean lineMode) {
        this.mem = mem;
        this.memoryBytes = memoryBytes;
        this.console = console;
        this.cpus = cpus;
        this.lineMode = lineMode;
    }

    /** The storage-increment size in bytes for {@code memoryBytes}. */
    public static long incrementSize(long memoryBytes) {
        int shift = 20;
        while ((memoryBytes >>> shift) > MAX_INCREMENTS) {
            shift++;
        }
        return 1L << shift;
    }

    /** The event types the host accepts from the guest (WRITE EVENT MASK's SCLP receive mask). */
    public int hostReceiveMask() {
        return lineMode ? maskBit(EV_MSG) : maskBit(EV_VT220);
    }

    /** The event types the host can send to the guest (WRITE EVENT MASK's SCLP send mask). */
    public int hostSendMask() {
        return (lineMode ? maskBit(EV_OPCMD) : maskBit(EV_VT220)) | maskBit(EV_QUIESCE);
    }

    /**
     * Executes {@code command} on the SCCB at absolute {@code sccb} (8-byte aligned, below 2 GiB, header in storage,
     * length at least 8: the caller has checked these, as they are program exceptions). Writes the response code
     * and returns it; the caller then posts the service signal with {@link #eventsPending()} in bit 31.
     */
    public synchronized int execute(int commandWord, long sccb) {
        int command = commandWord & CMD_CODE_MASK;
        int length = mem.read16(sccb) & 0xffff;
        int rc;
        boolean known = switch (command) {
            case CMD_READ_SCP_INFO, CMD_READ_SCP_INFO_FORCED, CMD_READ_CPU_INFO, CMD_WRITE_EVENT_MASK,
                 CMD_WRITE_EVENT_DATA, CMD_READ_EVENT_DATA -> true;
            default -> false;
        };
        if (!known) {
            rc = RC_INVALID_COMMAND;
        } else if (((sccb & 0xfff) + length) > 0x1000 || sccb + length > memoryBytes) {
            rc = RC_BOUNDARY; // no extended-length SCCB facility: an SCCB stays within its page
        } else {
            rc = switch (command) {
                case CMD_READ_SCP_INFO, CMD_READ_SCP_INFO_FORCED -> readScpInfo(sccb, length);
                case CMD_READ_CPU_INFO -> readCpuInfo(sccb, length);
                case CMD_WRITE_EVENT_MASK -> writeEventMask(sccb, length);
                case CMD_WRITE_EVENT_DATA -> writeEventData(sccb, length);
                default -> readEventData(sccb, length);
            };
        }
        mem.write16(sccb + 6, rc);
        return rc;
    }

    // ---- READ SCP INFO / READ CPU INFO --------------------------------------------------------------------------

    private int readScpInfo(long sccb, int length) {
        if (length < SCP_INFO_CPU_OFFSET + CPU_ENTRY * cpus) {
            return RC_INSUFFICIENT_LENGTH;
        }
        mem.fill(sccb + 8, length - 8, (byte) 0);
        long inc = incrementSize(memoryBytes);
        long rnsize = inc >>> 20;
        long rnmax = memoryBytes / inc;
        if (rnsize <= 128) {
            mem.write8(sccb + 10, (int) rnsize);
        } else {
            mem.write32(sccb + 100, (int) rnsize);
        }
        if (rnmax < 0x10000) {
            mem.write16(sccb + 8, (int) rnmax);
        } else {
            mem.write64(sccb + 104, rnmax);
        }
        mem.write16(sccb + 16, cpus);
        mem.write16(sccb + 18, SCP_INFO_CPU_OFFSET);
        for (int i = 0; i < 8; i++) {
            mem.write8(sccb + 24 + i, 0x40); // loadparm: eight EBCDIC blanks
        }
        mem.write64(sccb + 48, FACILITIES);
        mem.write16(sccb + 120, cpus - 1); // highest CPU address
        cpuEntries(sccb + SCP_INFO_CPU_OFFSET);
        return RC_NORMAL_READ;
    }

    private int readCpuInfo(long sccb, int length) {
        if (length < CPU_INFO_CPU_OFFSET + CPU_ENTRY * cpus) {
            return RC_INSUFFICIENT_LENGTH;
        }
        mem.fill(sccb + 8, length - 8, (byte) 0);
        mem.write16(sccb + 8, cpus);
        mem.write16(sccb + 10, CPU_INFO_CPU_OFFSET);
        mem.write16(sccb + 12, 0);
        mem.write16(sccb + 14, CPU_INFO_CPU_OFFSET + CPU_ENTRY * cpus);
        cpuEntries(sccb + CPU_INFO_CPU_OFFSET);
        return RC_NORMAL_READ;
    }

    /** One 16-byte entry per CPU: core id at 0, CPU type at 14 (0 = CP). */
    private void cpuEntries(long at) {
        for (int i = 0; i < cpus; i++) {
            mem.write8(at + (long) CPU_ENTRY * i, i);
        }
    }

    // ---- Event facility ----------------------------------------------------------------------------------------

    /** WRITE EVENT MASK: header, reserved u16, mask length u16, then receive, send, host send, host receive masks. */
    private int writeEventMask(long sccb, int length) {
        int maskLength = mem.read16(sccb + 10) & 0xffff;
        if (maskLength == 0 || maskLength > 1021 || length < 12 + 4 * maskLength) {
            return RC_INVALID_MASK_LENGTH;
        }
        guestReceiveMask = readMask(sccb + 12, maskLength);
        guestSendMask = readMask(sccb + 12 + maskLength, maskLength);
        writeMask(sccb + 12 + 2L * maskLength, maskLength, hostSendMask());
        writeMask(sccb + 12 + 3L * maskLength, maskLength, hostReceiveMask());
        return RC_NORMAL;
    }

    /** The first four bytes of a mask of {@code len} bytes (event types 1-32), zero-extended. */
    private int readMask(long at, int len) {
        int m = 0;
        for (int i = 0; i < 4; i++) {
            m = (m << 8) | (i < len ? mem.read8(at + i) & 0xff : 0);
        }
        return m;
    }

    private void writeMask(long at, int len, int mask) {
        for (int i = 0; i < len; i++) {
            mem.write8(at + i, i < 4 ? (mask >>> (24 - 8 * i)) & 0xff : 0);
        }
    }

    private int writeEventData(long sccb, int length) {
        if ((mem.read8(sccb + 2) & 0xff) != 0) {
            return RC_INVALID_FUNCTION; // only a normal write (function code 0)
        }
        long at = sccb + 8;
        long end = sccb + length;
        int rc = RC_NORMAL;
        while (at < end) {
            if (end - at < 6) {
                return RC_EVBUF_SYNTAX;
            }
            int len = mem.read16(at) & 0xffff;
            if (len < 6 || at + len > end) {
                return RC_EVBUF_SYNTAX;
            }
            int type = mem.read8(at + 2) & 0xff;
            int r;
            if ((hostReceiveMask() & maskBit(type)) == 0 || type > 32) {
                r = RC_INVALID_FUNCTION;
            } else if (type == EV_VT220) {
                byte[] b = new byte[len - 6];
                mem.readBytes(at + 6, b, 0, b.length);
                output(b);
                r = RC_NORMAL;
            } else {
                r = lineModeMessage(at + 6, len - 6);
            }
            if (r == RC_NORMAL) {
                mem.write8(at + 3, (mem.read8(at + 3) & 0xff) | BUFFER_ACCEPTED);
            } else {
                rc = r;
            }
            at += len;
        }
        console.flush();
        return rc;
    }

    /**
     * A message event's MDB (LNX {@code drivers/s390/char/sclp_rw.h}): a 12-byte header (length, type 1, tag, revision)
     * then objects of (length, type); each message-text object (type 4, 10-byte header) is one EBCDIC line, printed
     * with a newline appended, as QEMU's {@code sclplmconsole} does. Other objects (the general object, type 1) are
     * skipped.
     */
    private int lineModeMessage(long mdb, int avail) {
        if (avail < 12) {
            return RC_EVBUF_SYNTAX;
        }
        int mdbLength = mem.read16(mdb) & 0xffff;
        if (mdbLength < 12 || mdbLength > avail) {
            return RC_EVBUF_SYNTAX;
        }
        long at = mdb + 12;
        long end = mdb + mdbLength;
        while (at < end) {
            if (end - at < 4) {
                return RC_EVBUF_SYNTAX;
            }
            int len = mem.read16(at) & 0xffff;
            int type = mem.read16(at + 2) & 0xffff;
            if (len < 4 || at + len > end) {
                return RC_EVBUF_SYNTAX;
            }
            if (type == 4) {
                if (len < 10) {
                    return RC_EVBUF_SYNTAX;
                }
                byte[] text = new byte[len - 10 + 1];
                mem.readBytes(at + 10, text, 0, len - 10);
                for (int i = 0; i < len - 10; i++) {
                    text[i] = (byte) ebcdicToAscii(text[i] & 0xff);
                }
                text[len - 10] = '\n';
                output(text);
            }
            at += len;
        }
        return RC_NORMAL;
    }

    /** EBCDIC code page 037 to Latin-1, as QEMU's {@code ebcdic2ascii}; unmappable bytes become '.'. */
    static int ebcdicToAscii(int b) {
        if (EBCDIC == null) {
            return b == 0x40 ? ' ' : b == 0x25 ? '\n' : '.';
        }
        char c = new String(new byte[] {(byte) b}, EBCDIC).charAt(0);
        return c < 256 ? c : '.';
    }

    private int readEventData(long sccb, int length) {
        int fc = mem.read8(sccb + 2) & 0xff;
        int selection;
        if (fc == 0) {
            selection = guestReceiveMask;
        } else if (fc == 1) {
            int maskLen = 4;
            if (length < 8 + maskLen) {
                return RC_INSUFFICIENT_LENGTH;
            }
            selection = mem.read32(sccb + 8);
            if (selection == 0 || (selection & ~guestReceiveMask) != 0) {
                return RC_INVALID_SELECTION_MASK;
            }
        } else {
            return RC_INVALID_FUNCTION;
        }
        long at = sccb + 8;
        long end = sccb + length;
        boolean stored = false;
        if (quiescePending && (selection & maskBit(EV_QUIESCE)) != 0 && end - at >= 9) {
            mem.write16(at, 9);
            mem.write8(at + 2, EV_QUIESCE);
            mem.write8(at + 3, 0);
            mem.write16(at + 4, 0);
            mem.write16(at + 6, 0); // timeout
            mem.write8(at + 8, 0);  // unit
            at += 9;
            quiescePending = false;
            stored = true;
        }
        if ((selection & maskBit(EV_VT220)) != 0 && !lineMode && end - at > 6) {
            int n = 0;
            long data = at + 6;
            int b;
            while (data + n < end && (b = console.poll()) >= 0) {
                mem.write8(data + n, b);
                n++;
            }
            if (data + n < end) {
                inputWaiting = false; // drained: the console had no more
            }
            if (n > 0) {
                mem.write16(at, 6 + n);
                mem.write8(at + 2, EV_VT220);
                mem.write8(at + 3, 0);
                mem.write16(at + 4, 0);
                at += 6 + n;
                stored = true;
            }
        }
        if (!stored) {
            return RC_NO_EVENTS;
        }
        mem.write16(sccb, (int) (at - sccb)); // variable-length response: the SCCB's length becomes what was stored
        return RC_NORMAL;
    }

    /** Whether event buffers wait for READ EVENT DATA: input the guest accepts, or a quiesce. */
    public synchronized boolean eventsPending() {
        return (quiescePending && (guestReceiveMask & maskBit(EV_QUIESCE)) != 0)
                || (inputWaiting && acceptsInput());
    }

    private boolean acceptsInput() {
        return !lineMode && (guestReceiveMask & maskBit(EV_VT220)) != 0;
    }

    /** Console input arrived; returns whether the guest should be told (an attention service signal). */
    public synchronized boolean inputArrived() {
        inputWaiting = true;
        return acceptsInput();
    }

    /** Queues the signal-quiesce event (host-requested shutdown). Returns whether the guest accepts it. */
    public synchronized boolean requestQuiesce() {
        quiescePending = true;
        return (guestReceiveMask & maskBit(EV_QUIESCE)) != 0;
    }

    // ---- Console output and the test ABI ---------------------------------------------------------------------

    private void output(byte[] b) {
        console.write(b, 0, b.length);
        for (byte x : b) {
            if (x == '\n') {
                lineDone();
            } else if (line.length() < 256) {
                line.append((char) (x & 0xff));
            }
        }
    }

    private void lineDone() {
        Matcher m = EXIT_LINE.matcher(line);
        if (m.find()) {
            exitStatus = parseStatus(m.group(1));
        }
        line.setLength(0);
    }

    private static int parseStatus(String digits) {
        return digits.length() > 9 ? 255 : Integer.parseInt(digits);
    }

    /**
     * The status of the last {@code EXIT: STATUS=n} line on the console (the line being written counts), or -1 if
     * there was none.
     */
    public synchronized int exitStatus() {
        if (line.length() > 0) {
            Matcher m = EXIT_LINE.matcher(line);
            if (m.find()) {
                return parseStatus(m.group(1));
            }
        }
        return exitStatus;
    }
}
