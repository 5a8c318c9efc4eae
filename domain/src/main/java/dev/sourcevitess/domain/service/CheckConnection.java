package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ConnectionInfo;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.SchemaReader;
import java.util.Map;
import java.util.TreeSet;

/** The {@code check} use case: can we log in, and under VSTREAM, can we stream? */
public final class CheckConnection {
  private final SourceConfig config;
  private final SchemaReader schema;
  private final ChangeStreams changes;

  public CheckConnection(SourceConfig config, SchemaReader schema, ChangeStreams changes) {
    this.config = config;
    this.schema = schema;
    this.changes = changes;
  }

  /** The outcome: a failed check is an answer, not an error. */
  public record Result(boolean succeeded, String message) {}

  public Result check() {
    try {
      ConnectionInfo info = schema.checkConnection();
      String connected = "Connected to database " + config.database() + " on " + config.host() + ":"
          + config.port() + " as " + config.username() + " (server " + info.serverVersion() + ")";
      if (config.replicationMethod() == ReplicationMethod.STANDARD) {
        return new Result(true, connected + ".");
      }
      Map<Shard, String> shards = changes.currentPositions(config.keyspace());
      ShardSelection selection = new ShardSelection(config, shards.keySet());
      selection.live();
      selection.startingGtids();
      return new Result(true, connected + "; VStream on " + config.host() + ":" + config.grpcPort()
          + " sees shards " + String.join(", ", new TreeSet<>(shards.keySet()).stream().map(Shard::name).toList())
          + ".");
    } catch (SourceException e) {
      return new Result(false, e.getMessage());
    } catch (ChangeStreamException e) {
      return new Result(false, new MissingVtgate(config, schema).describe(e).getMessage());
    }
  }
}
