package org.hyperport.s390.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.hyperport.s390.cpu.Facilities;
import org.hyperport.s390.decode.Entry;
import org.hyperport.s390.decode.InstructionTable;
import org.hyperport.s390.interp.S390Semantics;
import org.junit.jupiter.api.Test;

class GeneralCoverageTest {

    @Test
    void everyGeneralInstructionHasSemantics() {
        List<Entry> missing = S390Semantics.missing(S390Semantics.build(S390Semantics.groups())).stream()
                .filter(e -> e.chapter().equals("general")).toList();
        assertEquals("", missing.stream().map(Entry::mnemonic).collect(Collectors.joining(" ")));
    }

    @Test
    void everyFacilityTheGeneralTableNamesIsInstalled() {
        for (Entry e : InstructionTable.get().entries()) {
            if (e.chapter().equals("general") && e.facility() >= 0) {
                assertTrue(Facilities.installed(e.facility()), e + " needs facility " + e.facility());
            }
        }
    }

    @Test
    void facilityListHasTheZ196BitsLinuxChecks() {
        for (int b : new int[] {0, 1, 2, 7, 18, 21, 25, 27, 32, 33, 34, 35, 45}) {
            assertTrue(Facilities.installed(b), "facility " + b);
        }
        // Bits 0-2 set: the leftmost byte of doubleword 0 is 1110 ....
        assertEquals(0xe0L, Facilities.doubleword(0) >>> 56 & 0xe0);
    }
}
