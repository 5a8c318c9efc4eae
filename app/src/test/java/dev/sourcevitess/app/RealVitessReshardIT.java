package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vitess's own Reshard workflow, 2 shards to 4, between two syncs of the jar: the second sync follows
 * VTGate's reshard journal to the new shards, and a deduped destination equals the source.
 */
class RealVitessReshardIT {
  private static final String KEYSPACE = "resharded";
  private static final String WORKFLOW = "split";
  private static LocalVitess vitess;

  @TempDir
  Path dir;

  @BeforeAll
  static void cluster() throws Exception {
    vitess = LocalVitess.up();
    LocalVitess.script("reshard-keyspace");
  }

  private static String reshard(String... action) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("vtctldclient", "Reshard", "--workflow", WORKFLOW,
        "--target-keyspace", KEYSPACE));
    args.addAll(List.of(action));
    return LocalVitess.script(args.toArray(String[]::new));
  }

  private static void change(long from, long to, long updated, long deleted) throws SQLException {
    vitess.insertRows(KEYSPACE, "item", from, to);
    vitess.executeIn(KEYSPACE, "UPDATE item SET note = 'updated' WHERE id = " + updated,
        "DELETE FROM item WHERE id = " + deleted);
  }

  @Test
  void aSyncAfterASplitFromTwoShardsToFourLosesAndDuplicatesNothing() throws Exception {
    vitess.createTable(KEYSPACE, "item", RealVitessIT.ORDERS);
    vitess.insertRows(KEYSPACE, "item", 1, 40);
    Syncs syncs = new Syncs(vitess, dir);
    Path config = syncs.file("config", vitess.config(KEYSPACE, ""));
    Path catalog = syncs.catalog(config, "incremental", "item");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);
    assertEquals(40, first.records("item").size());

    change(41, 60, 3, 4);
    LocalVitess.eventually("Reshard create", Duration.ofSeconds(60), () -> reshard("create", "--source-shards", "-80,80-",
        "--target-shards", "-40,40-80,80-c0,c0-"));
    LocalVitess.eventually("the copy to the new shards", Duration.ofMinutes(3), () -> {
      String status = reshard("status");
      assertTrue(status.contains("Running") && !status.contains("Copying"), status);
      return status;
    });
    change(61, 70, 5, 6);
    LocalVitess.eventually("SwitchTraffic", Duration.ofMinutes(2), () -> reshard("switchtraffic"));
    LocalVitess.eventually("writes through VTGate to the new shards", Duration.ofMinutes(1), () -> {
      change(71, 80, 7, 8);
      return null;
    });

    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    assertEquals(syncs.sourceNotes(KEYSPACE, "item"), Syncs.notes(Syncs.dedup("item", first, second)),
        "the destination equals the source: " + second);
    JsonNode shards = second.states("item").get(second.states("item").size() - 1).path("stream")
        .path("stream_state").path("shards");
    Set<String> names = new TreeSet<>();
    shards.fieldNames().forEachRemaining(names::add);
    assertEquals(Set.of("-40", "40-80", "80-c0", "c0-"), names, "the state moved to the new shards");

    change(81, 85, 9, 10);
    ConnectorRun third = syncs.read(config, catalog, syncs.state(first, second));
    syncs.assertSucceeded(third);
    assertEquals(syncs.sourceNotes(KEYSPACE, "item"), Syncs.notes(Syncs.dedup("item", first, second, third)));
  }
}
