package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ChangeMeta;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.CursorCodec;
import dev.sourcevitess.domain.port.ReadOutput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One read's output, serialized: shard readers run in parallel, and every message passes through
 * here under one lock, so a stream's STATE always covers exactly the records written before it.
 * It also keeps each stream's cursors, its record count since the last STATE, and the CDC cursor.
 */
final class ReadSession {
  static final long CHECKPOINT_RECORDS = 10_000;
  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(60);

  private final ReadOutput out;
  private final CursorCodec codec;
  private final Clock clock;
  private final Map<StreamId, Progress> streams = new HashMap<>();
  /** Streams that have their terminal status: each gets exactly one. */
  private final Set<StreamId> ended = new HashSet<>();
  /** Messages each reader may find on its own (one copy per shard) but the log says once. */
  private final Set<String> said = new HashSet<>();
  private long lastCdcCursor;

  ReadSession(ReadOutput out, CursorCodec codec, Clock clock) {
    this.out = out;
    this.codec = codec;
    this.clock = clock;
  }

  private static final class Progress {
    final Map<Shard, TableCursor> cursors = new TreeMap<>();
    long sinceCheckpoint;
    Instant lastCheckpoint;
    boolean running;
    boolean checkpointed;
    long sequence;
    Instant started;
  }

  synchronized void start(StreamId stream, Map<Shard, TableCursor> cursors, long rowEstimate, long byteEstimate) {
    Progress p = new Progress();
    p.cursors.putAll(cursors);
    p.lastCheckpoint = clock.instant();
    p.started = p.lastCheckpoint;
    streams.put(stream, p);
    out.status(stream, StreamStatus.STARTED);
    out.estimate(stream, rowEstimate, byteEstimate);
  }

  /** A STANDARD record: no change columns. */
  synchronized void record(StreamId stream, RecordLayout layout, RawRow row) {
    Progress p = counted(stream);
    out.record(stream, layout, row, null);
  }

  /**
   * A VSTREAM record. Its {@code _ab_cdc_cursor} is handed out here, under the lock, so it grows
   * in output order; it starts from the clock so a later sync never goes below an earlier one.
   */
  synchronized void change(StreamId stream, RecordLayout layout, RawRow row, Instant committed, boolean deleted,
      String position) {
    change(stream, layout, row, committed, deleted, position, clock.instant());
  }

  /**
   * A VSTREAM record extracted at {@code now}: rows handed over together (held copy rows) share
   * one reading of the clock, and so one {@code _ab_cdc_updated_at} when they have no commit time.
   */
  synchronized void change(StreamId stream, RecordLayout layout, RawRow row, Instant committed, boolean deleted,
      String position, Instant now) {
    Progress p = counted(stream);
    Instant updatedAt = committed == null ? now : committed;
    long fromClock = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastCdcCursor = Math.max(lastCdcCursor + 1, fromClock);
    ChangeMeta.PlanetScaleMetadata metadata = layout.metadata()
        ? new ChangeMeta.PlanetScaleMetadata(position, now, p.sequence)
        : null;
    out.record(stream, layout, row, new ChangeMeta(updatedAt, deleted ? updatedAt : null, lastCdcCursor, metadata));
  }

  private Progress counted(StreamId stream) {
    Progress p = streams.get(stream);
    if (!p.running) {
      p.running = true;
      out.status(stream, StreamStatus.RUNNING);
    }
    p.sinceCheckpoint++;
    p.sequence++;
    return p;
  }

  /**
   * Runs {@code writes} under the session's lock: messages written by them come out together, with
   * no other shard's message between them.
   */
  synchronized void atomically(Runnable writes) {
    writes.run();
  }

  Instant now() {
    return clock.instant();
  }

  /** True when the stream's next STATE is owed: 10,000 records or 60 seconds since the last. */
  synchronized boolean checkpointDue(StreamId stream) {
    return checkpointDue(stream, 0);
  }

  /**
   * True when a STATE is owed now so that {@code upcoming} more records (held back, or expected
   * before the next chance to checkpoint) still stay within 10,000 records of it.
   */
  synchronized boolean checkpointDue(StreamId stream, long upcoming) {
    Progress p = streams.get(stream);
    return p.sinceCheckpoint + upcoming > CHECKPOINT_RECORDS
        || p.sinceCheckpoint >= CHECKPOINT_RECORDS
        || !clock.instant().isBefore(p.lastCheckpoint.plus(CHECKPOINT_INTERVAL));
  }

  /**
   * Records where some shards of a stream stand and writes the stream's STATE.
   *
   * @param replaced shards that no longer exist (a reshard moved their data to {@code cursors})
   */
  synchronized void checkpoint(StreamId stream, Map<Shard, TableCursor> cursors, Set<Shard> replaced) {
    Progress p = streams.get(stream);
    p.cursors.keySet().removeAll(replaced);
    p.cursors.putAll(cursors);
    Map<String, String> encoded = new TreeMap<>();
    p.cursors.forEach((shard, cursor) -> encoded.put(shard.name(), codec.encode(cursor)));
    out.checkpoint(new Checkpoint(stream, new StreamState(encoded), p.sinceCheckpoint));
    p.sinceCheckpoint = 0;
    p.checkpointed = true;
    p.lastCheckpoint = clock.instant();
  }

  synchronized void checkpoint(StreamId stream, Map<Shard, TableCursor> cursors) {
    checkpoint(stream, cursors, Set.of());
  }

  /** Ends a stream well: RUNNING if no record said it, a last STATE, COMPLETE. */
  synchronized void complete(StreamId stream) {
    Progress p = streams.get(stream);
    if (!p.running) {
      p.running = true;
      out.status(stream, StreamStatus.RUNNING);
    }
    if (p.sinceCheckpoint > 0 || !p.checkpointed) {
      checkpoint(stream, Map.of());
    }
    if (p.sequence > 0) {
      // streams with nothing new are said together ("Up to date ..."), not one by one
      out.log(LogLevel.INFO, String.format(java.util.Locale.ROOT, "%s: %,d record%s in %s.", stream, p.sequence,
          p.sequence == 1 ? "" : "s", ReadProgress.spoken(Duration.between(p.started, clock.instant()))));
    }
    out.status(stream, StreamStatus.COMPLETE);
    ended.add(stream);
  }

  /** Ends a stream that failed or never started; nothing if it has ended already. */
  synchronized void incomplete(StreamId stream) {
    if (ended.add(stream)) {
      out.status(stream, StreamStatus.INCOMPLETE);
    }
  }

  synchronized void log(LogLevel level, String message) {
    out.log(level, message);
  }

  synchronized void logOnce(LogLevel level, String message) {
    if (said.add(message)) {
      out.log(level, message);
    }
  }
}
