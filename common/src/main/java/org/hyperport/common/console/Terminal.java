package org.hyperport.common.console;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Set;

/**
 * Terminal modes of a file descriptor through libc's {@code isatty}, {@code tcgetattr} and {@code tcsetattr}. Only
 * hosts whose {@code struct termios} follows Linux's asm-generic layout (four {@code tcflag_t} words, then
 * {@code c_line}, then {@code c_cc}) are handled; elsewhere {@link #supported()} is false and nothing is touched.
 */
final class Terminal {

    /** Larger than glibc's {@code struct termios} (60 bytes); the tail is scratch. */
    private static final int TERMIOS_SIZE = 128;
    private static final long C_IFLAG = 0;
    private static final long C_LFLAG = 12;
    private static final long C_CC = 17;
    private static final int VTIME = 5;
    private static final int VMIN = 6;
    private static final int TCSANOW = 0;

    private static final int IGNBRK = 0x1;
    private static final int BRKINT = 0x2;
    private static final int PARMRK = 0x8;
    private static final int ISTRIP = 0x20;
    private static final int INLCR = 0x40;
    private static final int IGNCR = 0x80;
    private static final int ICRNL = 0x100;
    private static final int IXON = 0x400;
    private static final int ICANON = 0x2;
    private static final int ECHO = 0x8;
    private static final int ECHONL = 0x40;
    private static final int IEXTEN = 0x8000;

    private static final Set<String> GENERIC_TERMIOS_ARCHES = Set.of("amd64", "x86_64", "aarch64", "riscv64", "s390x");

    private static final MethodHandle ISATTY;
    private static final MethodHandle TCGETATTR;
    private static final MethodHandle TCSETATTR;

    static {
        MethodHandle isatty = null;
        MethodHandle get = null;
        MethodHandle set = null;
        if (supported()) {
            Linker linker = Linker.nativeLinker();
            isatty = linker.defaultLookup().find("isatty").map(s -> linker.downcallHandle(s,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT))).orElse(null);
            get = linker.defaultLookup().find("tcgetattr").map(s -> linker.downcallHandle(s,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)))
                    .orElse(null);
            set = linker.defaultLookup().find("tcsetattr").map(s -> linker.downcallHandle(s,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS))).orElse(null);
        }
        ISATTY = isatty;
        TCGETATTR = get;
        TCSETATTR = set;
    }

    private Terminal() {
    }

    static boolean supported() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                && GENERIC_TERMIOS_ARCHES.contains(System.getProperty("os.arch", ""));
    }

    static boolean isatty(int fd) {
        if (ISATTY == null) {
            return false;
        }
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Puts {@code fd} into a raw-input mode and returns its previous attributes for {@link #restore}, or null if the
     * attributes could not be read or set. Cleared: ICANON (no line editing), ECHO/ECHONL (the guest echoes),
     * IEXTEN, and the input translations a serial line does not do (ICRNL, INLCR, IGNCR, ISTRIP, IXON, BRKINT,
     * PARMRK, IGNBRK), so Enter arrives as CR as from a real terminal. Kept: ISIG, so Ctrl-C and Ctrl-\ still stop
     * hyperport instead of reaching the guest (QEMU's {@code -serial stdio} does the same by default), and OPOST, so
     * a guest's bare LF still starts a new line. VMIN=1, VTIME=0: a read returns as soon as one byte is typed.
     */
    static byte[] enterRawMode(int fd) {
        if (TCGETATTR == null || TCSETATTR == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_SIZE);
            if ((int) TCGETATTR.invokeExact(fd, t) != 0) {
                return null;
            }
            byte[] saved = t.toArray(ValueLayout.JAVA_BYTE);
            int iflag = t.get(ValueLayout.JAVA_INT, C_IFLAG);
            iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
            t.set(ValueLayout.JAVA_INT, C_IFLAG, iflag);
            int lflag = t.get(ValueLayout.JAVA_INT, C_LFLAG);
            lflag &= ~(ICANON | ECHO | ECHONL | IEXTEN);
            t.set(ValueLayout.JAVA_INT, C_LFLAG, lflag);
            t.set(ValueLayout.JAVA_BYTE, C_CC + VMIN, (byte) 1);
            t.set(ValueLayout.JAVA_BYTE, C_CC + VTIME, (byte) 0);
            if ((int) TCSETATTR.invokeExact(fd, TCSANOW, t) != 0) {
                return null;
            }
            return saved;
        } catch (Throwable e) {
            return null;
        }
    }

    /** Puts back attributes returned by {@link #enterRawMode}. */
    static void restore(int fd, byte[] saved) {
        if (saved == null || TCSETATTR == null) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_SIZE);
            MemorySegment.copy(saved, 0, t, ValueLayout.JAVA_BYTE, 0, saved.length);
            int ignored = (int) TCSETATTR.invokeExact(fd, TCSANOW, t);
        } catch (Throwable e) {
            // Nothing more can be done for a terminal we cannot reach.
        }
    }
}
