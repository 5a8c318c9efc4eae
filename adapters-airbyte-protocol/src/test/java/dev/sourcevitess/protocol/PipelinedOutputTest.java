package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.TextRow;
import dev.sourcevitess.domain.model.ChangeMeta;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.port.ReadOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PipelinedOutputTest {
  private static final StreamId STREAM = new StreamId("shop", "orders");
  private static final RecordLayout LAYOUT =
      RecordLayout.select(List.of(new Column("id", ColumnType.parse("int", true), false)), Set.of(), false, false);

  private final RecordingOutput recorded = new RecordingOutput();

  /** A row that promises its bytes never change. */
  private static RawRow stable(String value) {
    TextRow row = TextRow.of(value);
    return new RawRow() {
      @Override
      public int columnCount() {
        return row.columnCount();
      }

      @Override
      public boolean isNull(int column) {
        return row.isNull(column);
      }

      @Override
      public byte[] buffer(int column) {
        return row.buffer(column);
      }

      @Override
      public int offset(int column) {
        return row.offset(column);
      }

      @Override
      public int length(int column) {
        return row.length(column);
      }

      @Override
      public boolean stable() {
        return true;
      }
    };
  }

  private static Object id(RecordingOutput.Message message) {
    return ((RecordingOutput.Record) message).data().get("id");
  }

  private static String describe(RecordingOutput.Message m) {
    if (m instanceof RecordingOutput.Record r) {
      return "record " + id(r);
    } else if (m instanceof RecordingOutput.State s) {
      return "state " + s.checkpoint().state().cursorsByShard().get("-");
    } else if (m instanceof RecordingOutput.Status s) {
      return "status " + s.status();
    } else if (m instanceof RecordingOutput.Log l) {
      return l.message();
    }
    return m.toString();
  }

  @Test
  void keepsTheOrderOfEveryKindOfMessageAcrossManyBatches() {
    PipelinedOutput pipeline = new PipelinedOutput(recorded);
    List<String> expected = new ArrayList<>();
    int records = PipelinedOutput.BATCH * (PipelinedOutput.QUEUED_BATCHES + 3) + 17;
    pipeline.status(STREAM, StreamStatus.STARTED);
    expected.add("status STARTED");
    for (int i = 0; i < records; i++) {
      // stable rows are queued; every 100th is a reused view, written once the queue is empty
      pipeline.record(STREAM, LAYOUT, i % 100 == 0 ? TextRow.of(String.valueOf(i)) : stable(String.valueOf(i)), null);
      expected.add("record " + i);
      if (i % 777 == 0) {
        pipeline.checkpoint(new Checkpoint(STREAM, new StreamState(Map.of("-", "at " + i)), 1));
        expected.add("state at " + i);
      }
      if (i % 1000 == 0) {
        pipeline.log(LogLevel.INFO, "log " + i);
        expected.add("log " + i);
      }
    }
    pipeline.drain();

    assertEquals(expected, recorded.messages().stream().map(PipelinedOutputTest::describe).toList());
    assertFalse(recorded.overlapped(), "the writer thread and the caller wrote at the same time");
  }

  @Test
  void aReusedRowIsWrittenBeforeTheCallReturns() {
    PipelinedOutput pipeline = new PipelinedOutput(recorded);
    pipeline.record(STREAM, LAYOUT, stable("1"), null);
    byte[] reused = "2".getBytes();
    TextRow view = TextRow.ofBytes(reused);
    pipeline.record(STREAM, LAYOUT, view, null);
    // the adapter loads its next row into the same bytes
    view.buffer(0)[view.offset(0)] = '3';
    pipeline.drain();
    assertEquals(List.of("record 1", "record 2"), recorded.messages().stream().map(PipelinedOutputTest::describe).toList());
  }

  @Test
  void aWriterFailureReachesTheReadersAndTheErrorStillGoesOut() {
    IllegalStateException broken = new IllegalStateException("stdout is gone");
    AtomicBoolean failing = new AtomicBoolean();
    List<String> errors = new ArrayList<>();
    ReadOutput output = new DelegatingOutput(recorded) {
      @Override
      public void record(StreamId stream, RecordLayout layout, RawRow row, ChangeMeta meta) {
        if (failing.get()) {
          throw broken;
        }
        super.record(stream, layout, row, meta);
      }

      @Override
      public void error(FailureType type, String message, String detail) {
        errors.add(message);
      }
    };
    PipelinedOutput pipeline = new PipelinedOutput(output);
    pipeline.record(STREAM, LAYOUT, stable("1"), null);
    pipeline.drain();
    failing.set(true);

    RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
      for (int i = 0; i < 100 * PipelinedOutput.BATCH; i++) {
        pipeline.record(STREAM, LAYOUT, stable("2"), null);
      }
    });
    assertSame(broken, thrown);
    // every later caller learns it too, a reused row included: nothing is written after a failure
    assertSame(broken, assertThrows(RuntimeException.class,
        () -> pipeline.checkpoint(new Checkpoint(STREAM, new StreamState(Map.of()), 0))));
    assertSame(broken, assertThrows(RuntimeException.class, () -> pipeline.record(STREAM, LAYOUT, TextRow.of("3"), null)));
    pipeline.drain();

    pipeline.error(FailureType.SYSTEM_ERROR, "the read failed", null);
    assertEquals(List.of("the read failed"), errors);
    assertEquals(1, recorded.messages().size(), "only the record before the failure");
  }

  @Test
  void aFailureOfTheLastBatchIsThrownByTheDrainThatWaitsForIt() {
    IllegalStateException broken = new IllegalStateException("cannot write");
    PipelinedOutput pipeline = new PipelinedOutput(new DelegatingOutput(recorded) {
      @Override
      public void record(StreamId stream, RecordLayout layout, RawRow row, ChangeMeta meta) {
        throw broken;
      }
    });
    pipeline.record(STREAM, LAYOUT, stable("1"), null);
    assertSame(broken, assertThrows(RuntimeException.class, pipeline::drain));
    pipeline.drain();
  }

  @Test
  void anInterruptedReaderLosesNothingAndKeepsItsInterrupt() throws Exception {
    CountDownLatch slow = new CountDownLatch(1);
    PipelinedOutput pipeline = new PipelinedOutput(new DelegatingOutput(recorded) {
      @Override
      public void record(StreamId stream, RecordLayout layout, RawRow row, ChangeMeta meta) {
        try {
          slow.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        super.record(stream, layout, row, meta);
      }
    });
    int records = PipelinedOutput.BATCH * (PipelinedOutput.QUEUED_BATCHES + 2);
    AtomicBoolean keptInterrupt = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      for (int i = 0; i < records; i++) {
        pipeline.record(STREAM, LAYOUT, stable(String.valueOf(i)), null);
      }
      pipeline.drain();
      keptInterrupt.set(Thread.currentThread().isInterrupted());
    });
    reader.start();
    // the reader is waiting for room in the queue by now, or will be
    reader.interrupt();
    slow.countDown();
    reader.join();
    assertTrue(keptInterrupt.get());
    assertEquals(records, recorded.messages().size());
  }

  /** Passes every call on; tests override what should fail. */
  private static class DelegatingOutput implements ReadOutput {
    private final ReadOutput to;

    DelegatingOutput(ReadOutput to) {
      this.to = to;
    }

    @Override
    public void record(StreamId stream, RecordLayout layout, RawRow row, ChangeMeta meta) {
      to.record(stream, layout, row, meta);
    }

    @Override
    public void checkpoint(Checkpoint checkpoint) {
      to.checkpoint(checkpoint);
    }

    @Override
    public void status(StreamId stream, StreamStatus status) {
      to.status(stream, status);
    }

    @Override
    public void estimate(StreamId stream, long rows, long bytes) {
      to.estimate(stream, rows, bytes);
    }

    @Override
    public void log(LogLevel level, String message) {
      to.log(level, message);
    }

    @Override
    public void error(FailureType type, String message, String detail) {
      to.error(type, message, detail);
    }
  }
}
