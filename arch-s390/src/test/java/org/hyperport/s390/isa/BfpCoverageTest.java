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

class BfpCoverageTest {

    @Test
    void everyBfpInstructionHasSemantics() {
        List<Entry> missing = S390Semantics.missing(S390Semantics.build(S390Semantics.groups())).stream()
                .filter(e -> e.chapter().equals("bfp")).toList();
        assertEquals("", missing.stream().map(Entry::mnemonic).collect(Collectors.joining(" ")));
    }

    @Test
    void everyFacilityTheBfpTableNamesIsInstalled() {
        for (Entry e : InstructionTable.get().entries()) {
            if (e.chapter().equals("bfp") && e.facility() >= 0) {
                assertTrue(Facilities.installed(e.facility()), e + " needs facility " + e.facility());
            }
        }
        assertTrue(Facilities.installed(37));
        assertTrue(Facilities.installed(41));
    }
}
