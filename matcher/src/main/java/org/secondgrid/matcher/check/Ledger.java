package org.secondgrid.matcher.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Energy of the schedule summed per (site, slot) and per (feeder, slot), with record counts for tolerances. */
final class Ledger {

    /** One grid pool: all records for a (seller, buyer, slot) triple, summed. */
    static final class GridFlow {
        final int seller;
        final int buyer;
        final int slot;
        double kwh;
        int records;

        GridFlow(int seller, int buyer, int slot) {
            this.seller = seller;
            this.buyer = buyer;
            this.slot = slot;
        }
    }

    final double[] sold;
    final double[] got;
    final double[] exported;
    final int[] soldRecords;
    final int[] gotRecords;
    final int[] exportRecords;
    final int[] plugged;
    final double[] feederNet;
    final int[] feederRecords;
    final Map<String, GridFlow> grid = new LinkedHashMap<>();
    final Map<String, EvPlan> plans = new LinkedHashMap<>();
    final List<EvPlan> planList = new ArrayList<>();
    int energyRecords;
    int itineraryRecords;

    Ledger(InstanceIndex x) {
        int cells = x.sites.length * x.slots;
        sold = new double[cells];
        got = new double[cells];
        exported = new double[cells];
        soldRecords = new int[cells];
        gotRecords = new int[cells];
        exportRecords = new int[cells];
        plugged = new int[cells];
        feederNet = new double[x.feederIds.length * x.slots];
        feederRecords = new int[x.feederIds.length * x.slots];
    }

    double gridTotalKwh() {
        double s = 0;
        for (GridFlow g : grid.values()) {
            s += g.kwh;
        }
        return s;
    }
}
