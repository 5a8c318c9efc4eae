package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.ChangeMeta;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.port.ReadOutput;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Records wait in the buffer; a STATE, and every other message, goes out as soon as the read's
 * writer thread has written it ({@link #written()} waits for that without flushing).
 */
class FlushingTest {
  private static final StreamId STREAM = new StreamId("shop", "orders");

  private final CountingOutputStream stdout = new CountingOutputStream();
  private final AirbyteProtocol protocol = AirbyteProtocol.create(stdout, Clock.systemUTC());
  private final ReadOutput read = protocol.readOutput();
  private final RecordLayout layout = new RecordLayout(
      List.of(new Column("id", ColumnType.parse("int", true), false),
          new Column("name", ColumnType.parse("varchar(20)", true), false)), new int[] {0, 1}, true, false);

  private void written() {
    ((PipelinedOutput) read).drain();
  }

  private void records(int count) {
    for (int i = 0; i < count; i++) {
      read.record(STREAM, layout, FakeRow.of(Integer.toString(i), "name " + i),
          new ChangeMeta(Instant.ofEpochSecond(1_700_000_000L + i), null, i, null));
    }
  }

  @Test
  void recordsAreNotFlushedOneByOneButAStateFlushesThem() {
    records(200);
    written();
    assertEquals(0, stdout.flushes(), "records must not be flushed one by one");
    assertEquals(0, stdout.writes(), "200 records fit the buffer");

    read.checkpoint(new Checkpoint(STREAM, new StreamState(Map.of("-", "c")), 200));
    written();
    assertEquals(1, stdout.flushes());
    String[] lines = stdout.lines();
    assertEquals(201, lines.length);
    assertTrue(lines[199].contains("\"id\":199,"), lines[199]);
    assertTrue(lines[200].startsWith("{\"type\":\"STATE\""), lines[200]);
    assertTrue(stdout.text().endsWith("\n"));
  }

  @Test
  void aLargeReadReachesStdoutInBigChunksWithoutFlushes() {
    records(20_000);
    written();
    assertEquals(0, stdout.flushes());
    assertTrue(stdout.writes() > 0);
    // about 64 KiB per write, not one write per record
    assertTrue(stdout.writes() < stdout.size() / 32_000, stdout.writes() + " writes for " + stdout.size() + " bytes");
  }

  @Test
  void everyOtherMessageIsFlushedAtOnce() {
    read.status(STREAM, StreamStatus.STARTED);
    written();
    assertEquals(1, stdout.flushes());
    read.estimate(STREAM, 1, 1);
    written();
    assertEquals(2, stdout.flushes());
    read.log(LogLevel.INFO, "hello");
    written();
    assertEquals(3, stdout.flushes());
    read.error(dev.sourcevitess.domain.model.FailureType.SYSTEM_ERROR, "boom", "");
    assertEquals(4, stdout.flushes());
    protocol.connectionStatus(true, "ok");
    protocol.catalog(List.of());
    protocol.spec();
    assertEquals(7, stdout.flushes());
    assertEquals(7, stdout.lines().length);
  }

  @Test
  void closeFlushesButLeavesStdoutOpen() {
    records(3);
    protocol.close();
    assertEquals(3, stdout.lines().length);
    assertEquals(1, stdout.flushes());
  }
}
