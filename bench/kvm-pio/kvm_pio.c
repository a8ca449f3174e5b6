/*
 * kvm_pio: the C reference for hyperport's port-I/O exit round trip.
 *
 * Runs guests/x86_64/pio-bench (an ELF32 Multiboot image) directly on /dev/kvm with the least possible host work per
 * exit, and prints one machine-parsable line on stdout:
 *
 *     pio-roundtrip-c exits=<n> ns_per_exit=<f>
 *
 * The timed interval runs from the first exit on port 0x80 to the first exit after the last one, so it holds exactly
 * <n> guest->host->guest round trips and nothing of the setup, the serial banner or the teardown.
 *
 * Usage: kvm_pio [IMAGE [COUNT]]   (IMAGE defaults to guests/x86_64/pio-bench/pio-bench.elf; COUNT is passed to the
 * guest as "count=COUNT" on the Multiboot command line, else the guest's default of 1000000 applies.)
 * Guest serial output (COM1) goes to stderr. Exit status 0 on success, 1 on any error.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE        (64UL << 20)
#define MBI_GPA         0x9000UL
#define CMDLINE_GPA     0x9100UL
#define TSS_GPA         0xfffbd000UL
#define MB_BOOT_MAGIC   0x2BADB002U
#define MBI_FLAG_MEM    (1U << 0)
#define MBI_FLAG_CMDLINE (1U << 2)

#define PORT_BENCH      0x80
#define PORT_EXIT       0xf4
#define PORT_COM1       0x3f8
#define PORT_COM1_LSR   0x3fd

static _Noreturn void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kvm_pio: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
    int r = ioctl(fd, req, arg);
    if (r < 0)
        die("%s: %s", what, strerror(errno));
    return r;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Copies the PT_LOAD segments of an ELF32 i386 image into guest memory; returns the entry point. */
static uint32_t load_elf32(const char *path, uint8_t *mem)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die("%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0)
        die("%s: %s", path, strerror(errno));
    size_t size = (size_t)st.st_size;
    uint8_t *image = malloc(size ? size : 1);
    if (!image || read(fd, image, size) != (ssize_t)size)
        die("%s: cannot read", path);
    close(fd);

    if (size < sizeof(Elf32_Ehdr))
        die("%s: not an ELF file", path);
    Elf32_Ehdr eh;
    memcpy(&eh, image, sizeof eh);
    if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS32
            || eh.e_machine != EM_386 || eh.e_phentsize != sizeof(Elf32_Phdr))
        die("%s: not an ELF32 i386 image", path);
    if ((uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf32_Phdr) > size)
        die("%s: truncated program headers", path);
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf32_Phdr ph;
        memcpy(&ph, image + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_filesz > ph.p_memsz || (uint64_t)ph.p_offset + ph.p_filesz > size
                || (uint64_t)ph.p_paddr + ph.p_memsz > MEM_SIZE)
            die("%s: segment %u does not fit", path, i);
        memcpy(mem + ph.p_paddr, image + ph.p_offset, ph.p_filesz);
        memset(mem + ph.p_paddr + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
    }
    free(image);
    return eh.e_entry;
}

/* A minimal Multiboot information structure: memory sizes and, if given, the command line. */
static void write_mbi(uint8_t *mem, const char *cmdline)
{
    uint32_t mbi[22] = {0};
    mbi[0] = MBI_FLAG_MEM;
    mbi[1] = 640;                                   /* mem_lower, KiB */
    mbi[2] = (uint32_t)((MEM_SIZE >> 10) - 1024);   /* mem_upper, KiB above 1 MiB */
    if (cmdline) {
        mbi[0] |= MBI_FLAG_CMDLINE;
        mbi[4] = (uint32_t)CMDLINE_GPA;
        strcpy((char *)mem + CMDLINE_GPA, cmdline);
    }
    memcpy(mem + MBI_GPA, mbi, sizeof mbi);
}

static void flat_segment(struct kvm_segment *s, uint16_t selector, uint8_t type)
{
    memset(s, 0, sizeof *s);
    s->base = 0;
    s->limit = 0xffffffff;
    s->selector = selector;
    s->type = type;
    s->present = 1;
    s->dpl = 0;
    s->db = 1;
    s->s = 1;
    s->l = 0;
    s->g = 1;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "guests/x86_64/pio-bench/pio-bench.elf";
    char cmdline[64];
    unsigned long expected = 0;
    if (argc > 2) {
        char *end;
        errno = 0;
        expected = strtoul(argv[2], &end, 10);
        if (errno || *end || expected == 0 || expected > 0xffffffffUL)
            die("bad count '%s'", argv[2]);
        snprintf(cmdline, sizeof cmdline, "count=%lu", expected);
    }

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        die("/dev/kvm: %s", strerror(errno));
    if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
        die("unexpected KVM API version");
    int vm = xioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
    xioctl(vm, KVM_SET_TSS_ADDR, (void *)TSS_GPA, "KVM_SET_TSS_ADDR");

    uint8_t *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        die("mmap guest memory: %s", strerror(errno));
    struct kvm_userspace_memory_region region = {
        .slot = 0, .flags = 0, .guest_phys_addr = 0, .memory_size = MEM_SIZE, .userspace_addr = (uintptr_t)mem,
    };
    xioctl(vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

    uint32_t entry = load_elf32(path, mem);
    write_mbi(mem, expected ? cmdline : NULL);

    int vcpu = xioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
    int run_size = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
    struct kvm_run *run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED)
        die("mmap kvm_run: %s", strerror(errno));

    int nent = 128;
    struct kvm_cpuid2 *cpuid;
    for (;;) {
        cpuid = calloc(1, sizeof *cpuid + (size_t)nent * sizeof(struct kvm_cpuid_entry2));
        if (!cpuid)
            die("out of memory");
        cpuid->nent = (uint32_t)nent;
        if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid) == 0)
            break;
        if (errno != E2BIG)
            die("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
        free(cpuid);
        nent *= 2;
    }
    xioctl(vcpu, KVM_SET_CPUID2, cpuid, "KVM_SET_CPUID2");

    /* The Multiboot machine state: flat 32-bit protected mode, paging off, EAX = magic, EBX = MBI. */
    struct kvm_sregs sregs;
    xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
    flat_segment(&sregs.cs, 0x08, 0xb);
    flat_segment(&sregs.ds, 0x10, 0x3);
    sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
    sregs.cr0 = 0x11;                               /* PE | ET */
    sregs.cr4 = 0;
    sregs.efer = 0;
    xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");

    struct kvm_regs regs;
    memset(&regs, 0, sizeof regs);
    regs.rip = entry;
    regs.rax = MB_BOOT_MAGIC;
    regs.rbx = MBI_GPA;
    regs.rflags = 0x2;
    xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");

    unsigned long exits = 0;
    double t_first = 0, t_end = 0;
    int status = -1;
    while (status < 0) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            die("KVM_RUN: %s", strerror(errno));
        }
        switch (run->exit_reason) {
        case KVM_EXIT_IO: {
            uint8_t *data = (uint8_t *)run + run->io.data_offset;
            if (run->io.port == PORT_BENCH && run->io.direction == KVM_EXIT_IO_OUT) {
                if (exits++ == 0)
                    t_first = now_ns();
                break;
            }
            if (exits > 0 && t_end == 0)
                t_end = now_ns();
            if (run->io.direction == KVM_EXIT_IO_OUT) {
                if (run->io.port == PORT_EXIT) {
                    uint32_t v = 0;
                    memcpy(&v, data, run->io.size < 4 ? run->io.size : 4);
                    status = (int)(v & 0x7fffffff);
                } else if (run->io.port == PORT_COM1) {
                    fputc(data[0], stderr);
                }
            } else {
                memset(data, 0, (size_t)run->io.size * run->io.count);
                if (run->io.port == PORT_COM1_LSR)
                    data[0] = 0x60;                 /* THR and transmitter empty */
            }
            break;
        }
        case KVM_EXIT_HLT:
            die("guest halted without writing to the exit port");
        case KVM_EXIT_SHUTDOWN:
            die("guest shut down (triple fault)");
        case KVM_EXIT_FAIL_ENTRY:
            die("KVM_EXIT_FAIL_ENTRY: hardware_entry_failure_reason=0x%llx",
                (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
        case KVM_EXIT_INTERNAL_ERROR:
            die("KVM_EXIT_INTERNAL_ERROR: suberror %u", run->internal.suberror);
        case KVM_EXIT_MMIO:
            die("unexpected MMIO at 0x%llx", (unsigned long long)run->mmio.phys_addr);
        default:
            die("unexpected exit reason %u", run->exit_reason);
        }
    }

    if (status != 0)
        die("guest exited with status %d", status);
    if (exits == 0)
        die("guest made no exits on port 0x%x", PORT_BENCH);
    if (expected && exits != expected)
        die("guest made %lu exits on port 0x%x, expected %lu", exits, PORT_BENCH, expected);
    double total = t_end - t_first;
    fprintf(stderr, "kvm_pio: exits=%lu  total=%.3f ms  per-exit=%.1f ns\n", exits, total / 1e6, total / exits);
    printf("pio-roundtrip-c exits=%lu ns_per_exit=%.1f\n", exits, total / exits);
    return 0;
}
