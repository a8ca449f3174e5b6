package org.hyperport.s390.decode;

/**
 * One line of the instruction table: the manual's mnemonic, format, opcode and the facility that installs it
 * (PoP Appendix B "Lists of Instructions"), plus the manual's name of the instruction.
 *
 * @param id        dense index of this entry, for dispatch arrays
 * @param opcode    the opcode as the manual writes it ({@code 1A}, {@code A7A}, {@code B904}, {@code E304})
 * @param facility  facility bit number that must be installed, or -1 for the base architecture
 * @param privileged whether the instruction is privileged (P in the manual's characteristics)
 * @param chapter   which table file (PoP chapter) it comes from: {@code general}, {@code control}, {@code io}, {@code bfp}
 */
public record Entry(int id, String mnemonic, Format format, String opcode, int facility, boolean privileged,
                    String chapter, String name) {

    @Override
    public String toString() {
        return mnemonic + " " + format.manualName() + " " + opcode;
    }
}
