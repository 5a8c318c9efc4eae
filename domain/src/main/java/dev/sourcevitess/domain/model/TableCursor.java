package dev.sourcevitess.domain.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one stream stands on one shard; the unit of Airbyte state, byte-compatible with
 * PlanetScale's connector once encoded (which leaves out {@code replayFrom}, a field of ours).
 *
 * @param position a VGTID position ({@code MySQL56/uuid:1-9}, or {@code MariaDB/0-100-9} on MariaDB),
 *     or empty before anything was read
 * @param lastKnownPk the last key copied while a copy is under way; null otherwise
 * @param replayFrom while a copy is under way: the position it began at, from which the shard's
 *     changes are read again once a later sync finished the copy (null: none known). A sync killed
 *     between copy rows and the STATE that covers them leaves rows in the destination beyond the
 *     saved key; the copy that resumes never sees those rows again, and only this replay brings
 *     their deletes.
 */
public record TableCursor(Shard shard, String keyspace, String position, LastKey lastKnownPk, String replayFrom) {
  public TableCursor {
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(keyspace, "keyspace");
    Objects.requireNonNull(position, "position");
    if (replayFrom != null && (replayFrom.isEmpty() || !(position.isEmpty() || lastKnownPk != null))) {
      throw new IllegalArgumentException("only an unfinished copy has a position to replay from, not "
          + (replayFrom.isEmpty() ? "an empty one" : "a cursor at " + position));
    }
  }

  public TableCursor(Shard shard, String keyspace, String position, LastKey lastKnownPk) {
    this(shard, keyspace, position, lastKnownPk, null);
  }

  /** A cursor that has read nothing yet: the next read copies the table. */
  public static TableCursor start(String keyspace, Shard shard) {
    return new TableCursor(shard, keyspace, "", null);
  }

  public Optional<LastKey> lastKey() {
    return Optional.ofNullable(lastKnownPk);
  }

  /** True while a copy is unfinished or not yet begun. */
  public boolean copying() {
    return position.isEmpty() || lastKnownPk != null;
  }

  /** The cursor moved on; a copy keeps the position it replays from until it is done. */
  public TableCursor at(String newPosition, LastKey newLastKey) {
    boolean stillCopying = newPosition.isEmpty() || newLastKey != null;
    return new TableCursor(shard, keyspace, newPosition, newLastKey, stillCopying ? replayFrom : null);
  }

  /** This unfinished copy, replaying from {@code start} once done. */
  public TableCursor replayingFrom(String start) {
    return new TableCursor(shard, keyspace, position, lastKnownPk, start);
  }
}
