package org.hyperport.s390.mmu;

import org.hyperport.api.ArchFault;

/**
 * An s390 access exception as the CPU reports it (PoP Ch. 6 "Program-Interruption Conditions"): the
 * program-interruption code and the translation-exception identification stored at lowcore 0xA8.
 *
 * @param code the program-interruption code (0x04 protection, 0x05 addressing, 0x10 segment translation, 0x11 page
 *             translation, 0x12 translation specification, 0x38 ASCE type, 0x39-0x3B region translation)
 * @param teid the TEID (failing page, fetch/store indication, protection code, ASCE identification), 0 if none
 */
public record S390Fault(long code, long teid) implements ArchFault {

    @Override
    public String name() {
        return switch ((int) code) {
            case 0x04 -> "protection";
            case 0x05 -> "addressing";
            case 0x10 -> "segment-translation";
            case 0x11 -> "page-translation";
            case 0x12 -> "translation-specification";
            case 0x38 -> "ASCE-type";
            case 0x39 -> "region-first-translation";
            case 0x3a -> "region-second-translation";
            case 0x3b -> "region-third-translation";
            default -> String.format("program-interruption-0x%x", code);
        };
    }

    @Override
    public String describe() {
        return String.format("%s (code 0x%04x) TEID 0x%016x", name(), code, teid);
    }
}
