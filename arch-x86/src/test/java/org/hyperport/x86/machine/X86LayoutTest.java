package org.hyperport.x86.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class X86LayoutTest {

    @Test
    void bootAreasDoNotOverlap() {
        List<X86Layout.Area> areas = X86Layout.AREAS;

        List<String> overlaps = areas.stream()
                .flatMap(a -> areas.stream().filter(b -> a != b && a.gpa() < b.end() && b.gpa() < a.end())
                        .map(b -> a.name() + "/" + b.name()))
                .toList();

        assertEquals(List.of(), overlaps);
    }

    @Test
    void bootAreasLieBelowTheKernelAndMpTableInTheBiosArea() {
        List<X86Layout.Area> areas = X86Layout.AREAS;

        assertTrue(areas.stream().allMatch(a -> a.gpa() >= 0x500 && a.end() <= X86Layout.KERNEL_GPA));
        assertTrue(X86Layout.MP_TABLE_GPA >= 0xf0000 && X86Layout.MP_TABLE_GPA + X86Layout.MP_TABLE_SIZE <= 0x100000);
        assertTrue(areas.stream().filter(a -> !a.name().equals("mp-table"))
                .allMatch(a -> a.end() <= X86Layout.EBDA_GPA));
    }

    @Test
    void gdtLimitCoversSixEntries() {
        assertEquals(47, X86Layout.GDT_LIMIT);
        assertEquals(0x20, X86Layout.SEL_TSS);
    }

    @Test
    void identityMapCoversFourGib() {
        assertEquals(4L << 30, X86Layout.IDENTITY_MAP_BYTES);
        assertEquals(X86Layout.PD_GPA + X86Layout.PD_COUNT * 0x1000L, 0xf000);
    }
}
