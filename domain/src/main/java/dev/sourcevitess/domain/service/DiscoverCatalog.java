package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.DiscoveredStream;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.SchemaReader;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The {@code discover} use case: one stream per base table, namespace = keyspace. */
public final class DiscoverCatalog {
  private final SourceConfig config;
  private final SchemaReader schema;

  public DiscoverCatalog(SourceConfig config, SchemaReader schema) {
    this.config = config;
    this.schema = schema;
  }

  public List<DiscoveredStream> discover() {
    return schema.tables().stream().map(this::describe).toList();
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
        table.hasPrimaryKey());
  }
}
