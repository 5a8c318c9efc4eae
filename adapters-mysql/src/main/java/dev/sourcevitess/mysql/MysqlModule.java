package dev.sourcevitess.mysql;

import dagger.Module;
import dagger.Provides;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.port.RowSnapshots;
import dev.sourcevitess.domain.port.SchemaReader;

/**
 * The MySQL-protocol adapters, for a component that binds the {@link SourceConfig}. Everything
 * else in this package is package-private: callers see only the ports.
 */
@Module
public final class MysqlModule {
  private MysqlModule() {}

  /** Connection check and discovery over {@code information_schema}. */
  @Provides
  public static SchemaReader schemaReader(SourceConfig config) {
    return new InformationSchemaReader(new MysqlEndpoint(config), config.tinyIntAsBoolean());
  }

  /** Primary-key-paged, streamed table reads (STANDARD replication). */
  @Provides
  public static RowSnapshots rowSnapshots(SourceConfig config) {
    return new KeysetRowSnapshots(new MysqlEndpoint(config), KeysetRowSnapshots.DEFAULT_PAGE_SIZE);
  }
}
