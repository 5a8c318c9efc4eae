package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.DiscoveredStream;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.SchemaReader;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The {@code discover} use case: one stream per base table, namespace = keyspace. */
public final class DiscoverCatalog {
  private final SourceConfig config;
  private final SchemaReader schema;
  private final ChangeStreams changes;

  public DiscoverCatalog(SourceConfig config, SchemaReader schema, ChangeStreams changes) {
    this.config = config;
    this.schema = schema;
    this.changes = changes;
  }

  public List<DiscoveredStream> discover() {
    List<DiscoveredStream> streams = schema.tables().stream().map(this::describe).toList();
    if (config.replicationMethod() == ReplicationMethod.VSTREAM && !schema.servesVitess()) {
      // incremental streams offered on a server that cannot stream would fail every sync: make
      // sure a VTGate answers (only here: VTGate's own MySQL port says it is Vitess)
      try {
        changes.currentPositions(config.keyspace());
      } catch (ChangeStreamException e) {
        throw new MissingVtgate(config, schema).describe(e);
      }
    }
    return streams;
  }

  private DiscoveredStream describe(Table table) {
    boolean vstream = config.replicationMethod() == ReplicationMethod.VSTREAM;
    Set<SyncMode> modes = vstream ? EnumSet.allOf(SyncMode.class) : EnumSet.of(SyncMode.FULL_REFRESH);
    return new DiscoveredStream(
        new StreamId(config.keyspace(), table.name()),
        table.columns(),
        table.primaryKey(),
        modes,
        vstream,
        vstream && config.includeMetadata(),
        vstream,
        vstream ? List.of(RecordLayout.CDC_CURSOR) : List.of(),
        // a STANDARD copy resumes after a key only if the key pages exactly; VTGate pages its own copies
        vstream ? table.hasPrimaryKey() : table.pagesByKey());
  }
}
