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

  /**
   * Whether the MySQL endpoint is Vitess (VTGate or PlanetScale) rather than a plain MySQL or
   * MariaDB server; true when it cannot tell, so that only a server known to be plain is blamed.
   */
  boolean servesVitess();

  /** The keyspace's base tables (no views, no Vitess internal tables), with columns in order. */
  List<Table> tables();
}
