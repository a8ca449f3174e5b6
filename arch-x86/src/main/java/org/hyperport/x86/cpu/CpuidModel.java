package org.hyperport.x86.cpu;

import java.nio.charset.StandardCharsets;

/**
 * The CPU the interpreter reports through CPUID (SDM Vol 2 "CPUID"): a 64-bit processor with exactly the features
 * the interpreter implements, so that software which checks CPUID (Linux's {@code cpucheck}/{@code verify_cpu},
 * GCC's runtime dispatch) never takes a path the interpreter cannot run.
 *
 * <p>Features: FPU, PSE, TSC, MSR, PAE, CX8, APIC, SEP, PGE, CMOV, PAT, CLFLUSH, MMX, FXSR, SSE, SSE2; SSE3, SSSE3,
 * CX16, POPCNT; SYSCALL, NX, 1 GiB pages, RDTSCP, LM, LAHF/SAHF in 64-bit mode, LZCNT (ABM). No XSAVE, AVX, x2APIC,
 * PCID or LA57. Address sizes: 48-bit linear, 40-bit physical. The vendor is deliberately not Intel or AMD, so
 * guests use only architectural (vendor-neutral) paths.
 */
public final class CpuidModel {

    public static final String VENDOR = "HyperportCPU";
    public static final String BRAND = "hyperport x86-64 interpreter";

    // CPUID.1:EDX and ECX feature bits (Vol 2 Table 3-10, 3-11).
    static final int EDX1 = bits(0, 3, 4, 5, 6, 8, 9, 11, 13, 15, 16, 19, 23, 24, 25, 26);
    static final int ECX1 = bits(0, 9, 13, 23);
    // CPUID.80000001h:EDX and ECX.
    static final int EDX_EXT = bits(11, 20, 26, 27, 29);
    static final int ECX_EXT = bits(0, 5);

    private static int bits(int... b) {
        int v = 0;
        for (int i : b) {
            v |= 1 << i;
        }
        return v;
    }

    private final int apicId;

    public CpuidModel(int apicId) {
        this.apicId = apicId;
    }

    /** EAX, EBX, ECX, EDX for leaf {@code eax}, subleaf {@code ecx}. */
    public void query(int eax, int ecx, int[] out) {
        out[0] = out[1] = out[2] = out[3] = 0;
        switch (eax) {
            case 0 -> {
                out[0] = 7;
                vendor(out);
            }
            case 1 -> {
                out[0] = 0x000806c1;                                  // family 6, model 0x8c, stepping 1
                out[1] = (apicId << 24) | (1 << 16) | (8 << 8);       // APIC id, 1 logical CPU, CLFLUSH 64 bytes
                out[2] = ECX1;
                out[3] = EDX1;
            }
            case 7 -> {
                // No structured extended features.
            }
            case 0x80000000 -> out[0] = 0x80000008;
            case 0x80000001 -> {
                out[2] = ECX_EXT;
                out[3] = EDX_EXT;
            }
            case 0x80000002, 0x80000003, 0x80000004 -> brand(eax - 0x80000002, out);
            case 0x80000008 -> out[0] = 0x3028;                       // 48-bit linear, 40-bit physical
            default -> {
                // Leaves above the maximum return zeros here (hardware would repeat the highest basic leaf).
            }
        }
    }

    private static void vendor(int[] out) {
        byte[] v = VENDOR.getBytes(StandardCharsets.US_ASCII);
        out[1] = le(v, 0);
        out[3] = le(v, 4);
        out[2] = le(v, 8);
    }

    private static void brand(int part, int[] out) {
        byte[] b = java.util.Arrays.copyOf(BRAND.getBytes(StandardCharsets.US_ASCII), 48);
        for (int i = 0; i < 4; i++) {
            out[i] = le(b, part * 16 + i * 4);
        }
    }

    private static int le(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
