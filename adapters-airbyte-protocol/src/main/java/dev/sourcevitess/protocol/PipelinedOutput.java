package dev.sourcevitess.protocol;

import dev.sourcevitess.domain.model.ChangeMeta;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.port.ReadOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Hands a read's messages to a writer thread in batches, so that writing JSON, two thirds of a
 * VStream reader's work, runs beside the decoding instead of after it. Every message goes through
 * the one queue, in the order of the calls.
 *
 * <p>Only a {@link RawRow#stable() stable} row is handed over as it is. A row view that its
 * adapter reuses (JDBC rows) is written on the caller's thread once the queue is empty: copying it
 * would cost more than writing it.
 */
final class PipelinedOutput implements ReadOutput {
  /** Messages per hand-over: few enough to bound what is held, enough to make hand-overs rare. */
  static final int BATCH = 512;
  /** Batches in flight: the reader waits when the writer is this far behind. */
  static final int QUEUED_BATCHES = 4;

  private final ReadOutput out;
  private final BlockingQueue<List<Consumer<ReadOutput>>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
  private List<Consumer<ReadOutput>> batch = new ArrayList<>(BATCH);
  private Thread writer;
  /** Batches handed over and batches written; guarded by {@code this}. */
  private long handedOver;
  private long written;
  /** What the writer thread failed with; it writes nothing after that. */
  private RuntimeException failure;
  /** Whether {@link #failure} was thrown to someone already. */
  private boolean reported;

  PipelinedOutput(ReadOutput out) {
    this.out = out;
  }

  @Override
  public synchronized void record(StreamId stream, RecordLayout layout, RawRow row, ChangeMeta meta) {
    if (row.stable()) {
      add(o -> o.record(stream, layout, row, meta));
    } else {
      throwIfFailed();
      drain();
      out.record(stream, layout, row, meta);
    }
  }

  @Override
  public synchronized void checkpoint(Checkpoint checkpoint) {
    addAndHandOver(o -> o.checkpoint(checkpoint));
  }

  @Override
  public synchronized void status(StreamId stream, StreamStatus status) {
    addAndHandOver(o -> o.status(stream, status));
  }

  @Override
  public synchronized void estimate(StreamId stream, long rows, long bytes) {
    addAndHandOver(o -> o.estimate(stream, rows, bytes));
  }

  @Override
  public synchronized void log(LogLevel level, String message) {
    addAndHandOver(o -> o.log(level, message));
  }

  /** Written after everything before it, even when the writer thread failed: the error says why the read ends. */
  @Override
  public synchronized void error(FailureType type, String message, String detail) {
    try {
      drain();
    } catch (RuntimeException writerFailure) {
      // reported here for the first time: the read fails with the error below either way
    }
    out.error(type, message, detail);
  }

  /**
   * Returns once everything handed in so far is written.
   *
   * @throws RuntimeException what the writer thread failed with, if no caller was told yet
   */
  synchronized void drain() {
    if (failure == null) {
      handOver();
    }
    boolean interrupted = false;
    while (written < handedOver && failure == null) {
      interrupted |= awaitWriter();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null && !reported) {
      reported = true;
      throw failure;
    }
  }

  private void add(Consumer<ReadOutput> message) {
    throwIfFailed();
    batch.add(message);
    if (batch.size() >= BATCH) {
      handOver();
    }
  }

  /**
   * Messages other than records go out at once, as the writer flushes them: none waits for a batch
   * to fill. With nothing in flight the caller writes it itself, without waking the writer thread:
   * a sync of many streams with nothing new writes a thousand such messages and no record.
   */
  private void addAndHandOver(Consumer<ReadOutput> message) {
    throwIfFailed();
    if (batch.isEmpty() && written == handedOver) {
      // the writer waits for a batch and touches nothing meanwhile
      message.accept(out);
      return;
    }
    add(message);
    handOver();
  }

  private void handOver() {
    throwIfFailed();
    if (batch.isEmpty()) {
      return;
    }
    if (writer == null) {
      writer = new Thread(this::writeAll, "json-writer");
      writer.setDaemon(true);
      writer.start();
    }
    List<Consumer<ReadOutput>> full = batch;
    batch = new ArrayList<>(BATCH);
    handedOver++;
    boolean interrupted = false;
    // the writer notifies after each batch, which leaves room in the queue
    while (!queue.offer(full)) {
      throwIfFailed();
      interrupted |= awaitWriter();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the writer's next batch; true if interrupted meanwhile (handed-in messages are never dropped). */
  private boolean awaitWriter() {
    try {
      wait();
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  private void writeAll() {
    try {
      while (true) {
        List<Consumer<ReadOutput>> next = queue.take();
        for (Consumer<ReadOutput> message : next) {
          message.accept(out);
        }
        synchronized (this) {
          written++;
          notifyAll();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        failure = e instanceof RuntimeException r ? r : new IllegalStateException("writing messages failed: " + e, e);
        notifyAll();
      }
    }
  }

  /** A failed writer takes no more messages: every reader that hands one in learns why. */
  private void throwIfFailed() {
    if (failure != null) {
      reported = true;
      throw failure;
    }
  }
}
