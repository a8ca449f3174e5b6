package org.hyperport.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The opcode map as parsed: consistency between the table, {@link Op}, and the lookup arrays. */
class OpcodeTableTest {

    @Test
    void everyOperationHasAFormAndEveryFormAnOperation() {
        Set<Op> used = OpcodeTable.FORMS.stream().flatMap(f -> List.of(f.ops).stream())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Op.class)));

        assertEquals(EnumSet.allOf(Op.class), used);
    }

    @Test
    void formsHaveAtMostFourOperandsAndRexWFormsAreLinked() {
        List<String> tooMany = OpcodeTable.FORMS.stream().filter(f -> f.specs.length > Instruction.MAX_OPERANDS)
                .map(Form::toString).toList();
        List<String> unlinked = OpcodeTable.FORMS.stream().filter(f -> f.rexW)
                .filter(w -> OpcodeTable.FORMS.stream().noneMatch(f -> f.w == w)).map(Form::toString).toList();

        assertEquals(List.of(), tooMany);
        assertEquals(List.of(), unlinked);
    }

    @Test
    void lookupFollowsTheModeTables() {
        Form pushEsLegacy = OpcodeTable.lookup(OpcodeTable.LEGACY, 0, OpcodeTable.COL_NONE, 0x06, -1);
        Form pushEsLong = OpcodeTable.lookup(OpcodeTable.LONG, 0, OpcodeTable.COL_NONE, 0x06, -1);
        Form arpl = OpcodeTable.lookup(OpcodeTable.LEGACY, 0, OpcodeTable.COL_NONE, 0x63, 0xC1);
        Form movsxd = OpcodeTable.lookup(OpcodeTable.LONG, 0, OpcodeTable.COL_NONE, 0x63, 0xC1);

        assertEquals(Op.PUSH, pushEsLegacy.ops[0]);
        assertNull(pushEsLong);
        assertEquals(List.of(Op.ARPL, Op.MOVSXD), List.of(arpl.ops[0], movsxd.ops[0]));
    }

    @Test
    void prefixColumnsFallBackToTransparentFormsPerModrmByte() {
        Form imul = OpcodeTable.lookup(OpcodeTable.LONG, 1, OpcodeTable.COL_NONE, 0xAF, 0xC1);
        Form imul66 = OpcodeTable.lookup(OpcodeTable.LONG, 1, OpcodeTable.COL_66, 0xAF, 0xC1);
        Form endbr = OpcodeTable.lookup(OpcodeTable.LONG, 1, OpcodeTable.COL_F3, 0x1E, 0xFA);
        Form hint = OpcodeTable.lookup(OpcodeTable.LONG, 1, OpcodeTable.COL_F3, 0x1E, 0xC8);
        Form movups66 = OpcodeTable.lookup(OpcodeTable.LONG, 1, OpcodeTable.COL_F2, 0x6F, 0xC1);

        assertSame(imul, imul66);
        assertEquals(List.of(Op.ENDBR64, Op.NOP), List.of(endbr.ops[0], hint.ops[0]));
        assertNull(movups66);
    }

    @Test
    void operandSizeVariantsNameTheirOperations() {
        Form cbw = OpcodeTable.lookup(OpcodeTable.LONG, 0, OpcodeTable.COL_NONE, 0x98, -1);
        Form jcxz = OpcodeTable.lookup(OpcodeTable.LONG, 0, OpcodeTable.COL_NONE, 0xE3, -1);

        assertEquals(List.of(Op.CBW, Op.CWDE, Op.CDQE), List.of(cbw.ops));
        assertEquals(List.of(Op.JCXZ, Op.JECXZ, Op.JRCXZ, true), List.of(jcxz.ops[0], jcxz.ops[1], jcxz.ops[2],
                jcxz.has(Form.ASZ)));
    }
}
