package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.port.ChangeStreams;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * What every reader of a VStream does with its events: transaction edges pass, DDL goes to the
 * log, every row, position, heartbeat and silence tells {@link ShardWaits} which shards move, and
 * every {@link #PROGRESS_EVERY} the log says how far the reader has come. Each reader says what
 * rows, positions, finished copies and journals mean to its streams.
 */
abstract class ReaderEvents implements ChangeEvent.Visitor<Boolean>, ChangeStreams.Handler {
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  private final ReadSession session;
  private final String keyspace;
  private final ShardWaits waits;
  private final Instant started;
  private Instant lastProgress;
  /** Rows VTGate sent for this reader's tables, and the commit time of the latest transaction read. */
  private long rows;
  private Instant lastCommitted;

  ReaderEvents(ReadSession session, String keyspace, int timeoutSeconds) {
    this.session = session;
    this.keyspace = keyspace;
    this.waits = new ShardWaits(session, keyspace, timeoutSeconds);
    this.started = session.now();
    this.lastProgress = started;
  }

  /** How far the reader has come: said in the log every {@link #PROGRESS_EVERY}. */
  abstract String progress(ReadProgress progress);

  /** The wait and progress checks, with one reading of the clock. */
  private void checkIn() {
    Instant now = session.now();
    waits.check(now, this::behind, this::stopOf);
    if (!now.isBefore(lastProgress.plus(PROGRESS_EVERY))) {
      lastProgress = now;
      session.log(LogLevel.INFO, progress(new ReadProgress(Duration.between(started, now), rows, lastCommitted, now)));
    }
  }

  /** The streams this reader writes, for what the log says of a DDL. */
  abstract Collection<StreamId> streams();

  /** The shards still short of their stops (or copying), with where they stand. */
  abstract Map<Shard, String> behind();

  /** The stop of a shard the sync peeked; null for one it did not. */
  abstract String stopOf(Shard shard);

  abstract void onFields(ChangeEvent.Fields event);

  abstract boolean onRow(ChangeEvent.RowChange event);

  abstract boolean onPosition(ChangeEvent.Vgtid event);

  abstract boolean onCopyCompleted(ChangeEvent.CopyCompleted event);

  /** Nothing to read for now: a chance to say the stream is alive with a STATE. */
  abstract void onIdle();

  abstract boolean onJournal(ChangeEvent.Journal event);

  @Override
  public final boolean onEvent(ChangeEvent event) {
    return event.accept(this);
  }

  @Override
  public final boolean onQuiet() {
    checkIn();
    return true;
  }

  @Override
  public final Boolean begin(ChangeEvent.Begin event) {
    return true;
  }

  @Override
  public final Boolean fields(ChangeEvent.Fields event) {
    onFields(event);
    return true;
  }

  @Override
  public final Boolean row(ChangeEvent.RowChange event) {
    waits.moved(event.shard());
    rows++;
    return onRow(event);
  }

  @Override
  public final Boolean vgtid(ChangeEvent.Vgtid event) {
    waits.at(event.shards());
    if (!onPosition(event)) {
      return false;
    }
    checkIn();
    return true;
  }

  @Override
  public final Boolean commit(ChangeEvent.Commit event) {
    if (event.commitTime() != null) {
      lastCommitted = event.commitTime();
    }
    return true;
  }

  @Override
  public final Boolean copyCompleted(ChangeEvent.CopyCompleted event) {
    waits.moved(event.shard());
    return onCopyCompleted(event);
  }

  /** Heartbeats carry no position and never end a read: VTGate also sends them while a tablet reads a long transaction. */
  @Override
  public final Boolean heartbeat(ChangeEvent.Heartbeat event) {
    onIdle();
    checkIn();
    return true;
  }

  @Override
  public final Boolean ddl(ChangeEvent.Ddl event) {
    DdlNotice.log(session, keyspace, streams(), event);
    return true;
  }

  @Override
  public final Boolean journal(ChangeEvent.Journal event) {
    return onJournal(event);
  }

  @Override
  public final Boolean other(ChangeEvent.Other event) {
    return true;
  }
}
