package dev.sourcevitess.domain.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one stream stands on one shard; the unit of Airbyte state, byte-compatible with
 * PlanetScale's connector once encoded.
 *
 * @param position a VGTID position ({@code MySQL56/uuid:1-9}, or {@code MariaDB/0-100-9} on MariaDB),
 *     or empty before anything was read
 * @param lastKnownPk the last key copied while a copy is under way; null otherwise
 */
public record TableCursor(Shard shard, String keyspace, String position, LastKey lastKnownPk) {
  public TableCursor {
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(keyspace, "keyspace");
    Objects.requireNonNull(position, "position");
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

  public TableCursor at(String newPosition, LastKey newLastKey) {
    return new TableCursor(shard, keyspace, newPosition, newLastKey);
  }
}
