package org.secondgrid.matcher.exact;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.io.InstanceJson;
class ScratchTest {
    @Test
    void run() throws Exception {
        long seed = Long.getLong("seed", 2);
        var in = SmallInstances.random(seed);
        java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/seed" + seed + ".json"), InstanceJson.write(in));
        var r = ExactMilp.solve(in, Double.parseDouble(System.getProperty("limit", "30")));
        System.err.println("RESULT " + r.welfareJpy() + " bound " + r.bestBoundJpy() + " " + r.seconds());
        System.err.println(r.itineraries());
    }
}
