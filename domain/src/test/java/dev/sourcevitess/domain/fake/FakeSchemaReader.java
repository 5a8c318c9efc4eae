package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.ConnectionInfo;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.SchemaReader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A schema held in memory; fails every call with {@link #failWith} set. */
public final class FakeSchemaReader implements SchemaReader {
  private final List<Table> tables = new CopyOnWriteArrayList<>();
  private volatile SourceException failure;

  public FakeSchemaReader(Table... tables) {
    this.tables.addAll(List.of(tables));
  }

  public FakeSchemaReader add(Table table) {
    tables.add(table);
    return this;
  }

  private int tableReads;
  private volatile boolean vitess = true;

  /** Makes the server a plain MySQL one, which VSTREAM cannot read. */
  public FakeSchemaReader plainMysql() {
    vitess = false;
    return this;
  }

  @Override
  public boolean servesVitess() {
    return vitess;
  }

  public void failWith(SourceException e) {
    failure = e;
  }

  @Override
  public ConnectionInfo checkConnection() {
    if (failure != null) {
      throw failure;
    }
    return new ConnectionInfo("fake-8.0");
  }

  /** How many times the tables were read. */
  public int tableReads() {
    return tableReads;
  }

  @Override
  public List<Table> tables() {
    tableReads++;
    if (failure != null) {
      throw failure;
    }
    return List.copyOf(tables);
  }
}
