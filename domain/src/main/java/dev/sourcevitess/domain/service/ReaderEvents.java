package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.port.ChangeStreams;
import java.util.Collection;
import java.util.Map;

/**
 * What every reader of a VStream does with its events: transaction edges pass, DDL goes to the
 * log, and every row, position, heartbeat and silence tells {@link ShardWaits} which shards move.
 * Each reader says what rows, positions, finished copies and journals mean to its streams.
 */
abstract class ReaderEvents implements ChangeEvent.Visitor<Boolean>, ChangeStreams.Handler {
  private final ReadSession session;
  private final String keyspace;
  private final ShardWaits waits;

  ReaderEvents(ReadSession session, String keyspace, int timeoutSeconds) {
    this.session = session;
    this.keyspace = keyspace;
    this.waits = new ShardWaits(session, keyspace, timeoutSeconds);
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
    waits.check(this::behind, this::stopOf);
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
    return onRow(event);
  }

  @Override
  public final Boolean vgtid(ChangeEvent.Vgtid event) {
    waits.at(event.shards());
    if (!onPosition(event)) {
      return false;
    }
    waits.check(this::behind, this::stopOf);
    return true;
  }

  @Override
  public final Boolean commit(ChangeEvent.Commit event) {
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
    waits.check(this::behind, this::stopOf);
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
