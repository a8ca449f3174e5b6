package org.hyperport.common.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls hyperport needs that jnr-posix lacks ({@code ioctl}, {@code mmap}, {@code eventfd}), bound with
 * the FFM API. Every call captures {@code errno} and returns the raw result; {@link #check} turns a failure into a
 * {@link PosixException} naming the call and the error.
 */
public final class Posix {

    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));



    // One holder class per function, so that a call binds (and pays for) only its own downcall stub.
    private static final class OpenH {
        static final MethodHandle H = bind("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), true);
    }

    private static final class CloseH {
        static final MethodHandle H = bind("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), true);
    }

    private static final class IoctlLongH {
        static final MethodHandle H = bind("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG), true, Linker.Option.firstVariadicArg(2));
    }

    private static final class IoctlPtrH {
        static final MethodHandle H = bind("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS), true, Linker.Option.firstVariadicArg(2));
    }

    private static final class MmapH {
        static final MethodHandle H = bind("mmap",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), true);
    }

    private static final class MunmapH {
        static final MethodHandle H = bind("munmap",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), true);
    }

    private static final class EventfdH {
        static final MethodHandle H = bind("eventfd",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), true);
    }

    private static final class WriteH {
        static final MethodHandle H = bind("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG), true);
    }

    private static final class ReadH {
        static final MethodHandle H = bind("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG), true);
    }

    private static final class StrerrorH {
        static final MethodHandle H = bind("strerror",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT), false);
    }

    private static final class PthreadSelfH {
        static final MethodHandle H = bind("pthread_self",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG), false);
    }

    private static final class PthreadKillH {
        static final MethodHandle H = bind("pthread_kill",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), false);
    }

    private static final class UnameH {
        static final MethodHandle H = bind("uname",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS), false);
    }

    /** Per-thread errno capture buffers, so concurrent vCPU threads never share one. */
    private static final ThreadLocal<MemorySegment> CAPTURE_BUF =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE));

    private Posix() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd, boolean captureErrno,
                                     Linker.Option... extra) {
        MemorySegment sym = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc lacks " + name));
        Linker.Option[] opts = extra;
        if (captureErrno) {
            opts = java.util.Arrays.copyOf(extra, extra.length + 1);
            opts[extra.length] = ERRNO;
        }
        return LINKER.downcallHandle(sym, fd, opts);
    }

    /** The errno captured by the last call on this thread. */
    public static int errno() {
        return (int) ERRNO_HANDLE.get(CAPTURE_BUF.get(), 0L);
    }

    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) StrerrorH.H.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** Throws {@link PosixException} if {@code result} is negative. */
    public static long check(long result, String what) {
        if (result < 0) {
            int e = errno();
            throw new PosixException(what, e, strerror(e));
        }
        return result;
    }

    public static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            return (int) OpenH.H.invokeExact(CAPTURE_BUF.get(), a.allocateFrom(path), flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(int fd) {
        try {
            return (int) CloseH.H.invokeExact(CAPTURE_BUF.get(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ioctl(fd, request, arg)} with an integer argument. */
    public static int ioctl(int fd, long request, long arg) {
        try {
            return (int) IoctlLongH.H.invokeExact(CAPTURE_BUF.get(), fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ioctl(fd, request, ptr)} with a pointer argument. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            return (int) IoctlPtrH.H.invokeExact(CAPTURE_BUF.get(), fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Maps {@code length} bytes; returns a segment of that size, or throws. */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment p = (MemorySegment) MmapH.H.invokeExact(CAPTURE_BUF.get(), MemorySegment.NULL, length, prot,
                    flags, fd, offset);
            if (p.address() == -1L) {
                int e = errno();
                throw new PosixException("mmap(" + length + " bytes)", e, strerror(e));
            }
            return p.reinterpret(length);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void munmap(MemorySegment segment) {
        try {
            int r = (int) MunmapH.H.invokeExact(CAPTURE_BUF.get(), segment, segment.byteSize());
            check(r, "munmap");
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int eventfd(int initval, int flags) {
        try {
            return (int) check((int) EventfdH.H.invokeExact(CAPTURE_BUF.get(), initval, flags), "eventfd");
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long len) {
        try {
            return (long) WriteH.H.invokeExact(CAPTURE_BUF.get(), fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long len) {
        try {
            return (long) ReadH.H.invokeExact(CAPTURE_BUF.get(), fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code uname -m}: the host machine name, e.g. {@code x86_64}. */
    public static String unameMachine() {
        try (Arena a = Arena.ofConfined()) {
            // struct utsname on Linux: six fields of 65 bytes; machine is the fifth.
            MemorySegment u = a.allocate(6 * 65);
            int r = (int) UnameH.H.invokeExact(u);
            if (r != 0) {
                return System.getProperty("os.arch");
            }
            return u.getString(4 * 65);
        } catch (Throwable t) {
            return System.getProperty("os.arch");
        }
    }

    /** The calling thread's pthread handle, for {@link #pthreadKill}. */
    public static long pthreadSelf() {
        try {
            return (long) PthreadSelfH.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int pthreadKill(long thread, int signal) {
        try {
            return (int) PthreadKillH.H.invokeExact(thread, signal);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
