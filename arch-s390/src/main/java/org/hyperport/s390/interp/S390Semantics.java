package org.hyperport.s390.interp;

import java.util.ArrayList;
import java.util.List;
import org.hyperport.s390.decode.Entry;
import org.hyperport.s390.decode.InstructionTable;
import org.hyperport.s390.isa.BfpInstructions;
import org.hyperport.s390.isa.ControlInstructions;
import org.hyperport.s390.isa.GeneralInstructions;

/**
 * Binds the table's mnemonics to their semantics. Each group (one per PoP chapter) registers its instructions by
 * mnemonic; the result is an array indexed by {@link Entry#id()}, so dispatch is one array load. A table entry with
 * no semantics executes as an operation exception, as an uninstalled instruction does.
 */
public final class S390Semantics {

    /** One chapter's instructions. */
    public interface Group {
        void register(Registry r);
    }

    /** Collects mnemonic → semantics; rejects mnemonics the table does not have and double definitions. */
    public static final class Registry {
        private final InstructionTable table;
        private final Semantics[] byId;

        Registry(InstructionTable table) {
            this.table = table;
            this.byId = new Semantics[table.entries().size()];
        }

        public void def(String mnemonic, Semantics s) {
            Entry e = table.byMnemonic(mnemonic);
            if (e == null) {
                throw new IllegalStateException("semantics for " + mnemonic + ", which is not in the table");
            }
            if (byId[e.id()] != null) {
                throw new IllegalStateException("semantics for " + mnemonic + " defined twice");
            }
            byId[e.id()] = s;
        }
    }

    private S390Semantics() {
    }

    public static List<Group> groups() {
        return List.of(new GeneralInstructions(), new ControlInstructions(), new BfpInstructions());
    }

    /** The dispatch array for {@code groups}. */
    public static Semantics[] build(List<Group> groups) {
        Registry r = new Registry(InstructionTable.get());
        for (Group g : groups) {
            g.register(r);
        }
        return r.byId;
    }

    /** Table entries without semantics, for the coverage test and {@code hyperport archs}. */
    public static List<Entry> missing(Semantics[] byId) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : InstructionTable.get().entries()) {
            if (byId[e.id()] == null) {
                out.add(e);
            }
        }
        return out;
    }
}
