package dev.sourcevitess.domain.service;

import static dev.sourcevitess.domain.service.VStreamFixture.HIGH;
import static dev.sourcevitess.domain.service.VStreamFixture.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the log says of a read's progress: every 30 s per reader, and per stream at its end. */
class ReadProgressTest {
  private final VStreamFixture f = new VStreamFixture(LOW, HIGH);

  private List<String> infos(String prefix) {
    return f.out.logs(LogLevel.INFO).stream().map(RecordingOutput.Log::message).filter(m -> m.startsWith(prefix))
        .toList();
  }

  @Test
  void theWordsForTimeAndDistance() {
    assertEquals("40 s", ReadProgress.spoken(Duration.ofSeconds(40)));
    assertEquals("2 min 5 s", ReadProgress.spoken(Duration.ofSeconds(125)));
    assertEquals("1 h 2 min", ReadProgress.spoken(Duration.ofSeconds(3725)));
    String stop = "MySQL56/e8b2c1de-0000-11ee-9000-000000000100:1-1300";
    assertEquals("1,234 transactions short of where this sync stops",
        ReadProgress.shortOf("MySQL56/e8b2c1de-0000-11ee-9000-000000000100:1-66", stop));
    assertEquals("1 transaction short of where this sync stops", ReadProgress.shortOf("MariaDB/0-100-9", "MariaDB/0-100-10"));
    assertEquals("still short of where this sync stops", ReadProgress.shortOf("", stop), "a copy not yet begun");
    assertEquals("still short of where this sync stops", ReadProgress.shortOf("MariaDB/0-100-9", stop), "flavors differ");
    ReadProgress progress = new ReadProgress(Duration.ofSeconds(61), 12_345, Instant.parse("2025-01-01T00:00:00.5Z"),
        Instant.parse("2025-01-01T00:03:02Z"));
    assertEquals("12,345 rows read in 1 min 1 s", progress.rowsRead());
    assertEquals("; the latest change read was committed at 2025-01-01T00:00:00Z (3 min 1 s ago)",
        progress.latestChange());
  }

  @Test
  void aCopyThenAStreamSayHowFarTheyAreAndEachStreamItsTotal() throws Exception {
    for (long id = 1; id <= 20; id++) {
      f.insert(id, "c" + id);
    }
    f.vtgate.batchSize(2);
    f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, Map.of());

    List<String> copying = infos("Copying commerce.customer: ");
    assertFalse(copying.isEmpty(), f.out.logs(LogLevel.INFO).toString());
    assertTrue(copying.stream().allMatch(line -> line.matches("Copying commerce\\.customer: \\d+ rows read in .+ "
        + "\\(information_schema estimates about 42 rows\\); shard (-80|80-) copying\\.")), copying.toString());
    assertEquals(List.of("commerce.customer: 20 records in " + lastWords(infos("commerce.customer: 20 records in "))),
        infos("commerce.customer: "));

    Map<StreamId, StreamState> saved = f.out.lastStates();
    f.out.clear();
    for (long id = 21; id <= 25; id++) {
      f.insert(id, "c" + id);
    }
    f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, saved);

    List<String> streaming = infos("Streaming 1 table of commerce: ");
    assertFalse(streaming.isEmpty(), f.out.logs(LogLevel.INFO).toString());
    assertTrue(streaming.get(0).matches("Streaming 1 table of commerce: shard -80 [1-5] transactions? short of where"
        + " this sync stops, shard 80- there; \\d+ rows read in .+"), streaming.get(0));
  }

  private static String lastWords(List<String> lines) {
    assertEquals(1, lines.size(), lines.toString());
    return lines.get(0).substring(lines.get(0).indexOf(" in ") + 4);
  }
}
