package dev.sourcevitess.domain.port;

import dev.sourcevitess.domain.model.ConnectionInfo;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import java.util.List;

/** The database's schema, over the MySQL protocol. */
public interface SchemaReader {
  /**
   * Connects and logs in.
   *
   * @throws SourceException saying what to fix: credentials, database, host, TLS
   */
  ConnectionInfo checkConnection();

  /** The keyspace's base tables (no views, no Vitess internal tables), with columns in order. */
  List<Table> tables();
}
