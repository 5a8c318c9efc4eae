package dev.sourcevitess.vstream.fake;

import binlogdata.Binlogdata;
import dev.sourcevitess.domain.fake.FakeGtids;
import dev.sourcevitess.domain.model.GtidPosition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One shard: its tables with rows, and a binlog whose transactions are numbered from 1 under the
 * shard's server UUID, so its position is {@code MySQL56/<uuid>:1-n}; on MariaDB, transaction n of
 * domain 0 written by the shard's server id, {@code MariaDB/0-<server id>-n}. Transaction 1 is the
 * shard's setup, already purged: positions start there.
 */
public final class FakeShard {
  private final FakeVitess vitess;
  private final FakeKeyspace keyspace;
  private final String name;
  private final FakeGtids gtids;
  private final Map<String, FakeTable> tables = new TreeMap<>();
  private final List<BinlogEntry> binlog = new ArrayList<>();
  private long purgedThrough = 1;
  /** Binlog transactions the tablet's vstreamers read, summed over calls. */
  private final java.util.concurrent.atomic.AtomicLong transactionsRead = new java.util.concurrent.atomic.AtomicLong();
  private boolean retired;

  FakeShard(FakeVitess vitess, FakeKeyspace keyspace, String name, int generation) {
    this.vitess = vitess;
    this.keyspace = keyspace;
    this.name = name;
    this.gtids = new FakeGtids(UUID.nameUUIDFromBytes(
        (keyspace.name() + "/" + name + "/" + generation).getBytes(StandardCharsets.UTF_8)).toString(),
        100 + generation);
    binlog.add(BinlogEntry.setup());
  }

  public String name() {
    return name;
  }

  public String uuid() {
    return gtids.uuid();
  }

  public FakeKeyspace keyspace() {
    return keyspace;
  }

  /** The executed GTID set, as VTGate reports it. */
  public String position() {
    vitess.lock.lock();
    try {
      return positionAt(binlog.size());
    } finally {
      vitess.lock.unlock();
    }
  }

  /** How many transactions the shard has executed. */
  public long transactions() {
    vitess.lock.lock();
    try {
      return binlog.size();
    } finally {
      vitess.lock.unlock();
    }
  }

  /** How many binlog transactions VStreams have read from this shard, summed over all calls. */
  public long transactionsRead() {
    return transactionsRead.get();
  }

  void countRead() {
    transactionsRead.incrementAndGet();
  }

  /** The MariaDB server id of the shard's primary. */
  public long serverId() {
    return gtids.serverId();
  }

  /** The position after transaction {@code n}. */
  public String positionAt(long n) {
    return gtids.positionAt(keyspace.flavor(), n);
  }

  /** The transaction after which this shard stood at {@code position}; -1 for a position not its own. */
  long transactionAt(GtidPosition position) {
    return gtids.transactionAt(keyspace.flavor(), position);
  }

  public FakeShard createTable(TableDef def) {
    vitess.lock.lock();
    try {
      if (tables.containsKey(def.name())) {
        throw new IllegalArgumentException("table " + def.name() + " exists on " + this);
      }
      tables.put(def.name(), new FakeTable(def));
      vitess.changed();
      return this;
    } finally {
      vitess.lock.unlock();
    }
  }

  /**
   * Puts rows in a table outside the binlog, as if restored from a backup before the shard's
   * first position: cheap for large copies.
   */
  public FakeShard load(String table, List<List<String>> rows) {
    vitess.lock.lock();
    try {
      FakeTable t = table(table);
      for (List<String> row : rows) {
        t.insert(new ArrayList<>(row));
      }
      vitess.changed();
      return this;
    } finally {
      vitess.lock.unlock();
    }
  }

  /**
   * Runs one transaction: applies its statements (all or none) and appends it to the binlog.
   *
   * @return the shard's position after it
   */
  public String commit(Consumer<FakeTransaction> body) {
    FakeTransaction tx = new FakeTransaction();
    body.accept(tx);
    vitess.lock.lock();
    try {
      checkServing();
      List<BinlogEntry.Statement> statements = new ArrayList<>();
      List<Runnable> undo = new ArrayList<>();
      try {
        for (FakeTransaction.Op op : tx.ops()) {
          statements.add(apply(op, undo));
        }
      } catch (RuntimeException e) {
        Collections.reverse(undo);
        undo.forEach(Runnable::run);
        throw e;
      }
      binlog.add(new BinlogEntry(BinlogEntry.Kind.TRANSACTION, now(), statements, null, null));
      vitess.changed();
      return positionAt(binlog.size());
    } finally {
      vitess.lock.unlock();
    }
  }

  /** A DDL statement: streams see it as VGTID then DDL, and send FIELD events afresh after it. */
  public String ddl(String statement) {
    vitess.lock.lock();
    try {
      checkServing();
      binlog.add(new BinlogEntry(BinlogEntry.Kind.DDL, now(), List.of(), statement, null));
      vitess.changed();
      return positionAt(binlog.size());
    } finally {
      vitess.lock.unlock();
    }
  }

  /** ALTER TABLE ... ADD COLUMN, last; existing rows have NULL in it. */
  public String addColumn(String table, ColumnDef column) {
    return alter(table, "alter table " + table + " add column " + column.name() + " " + column.columnType(), def -> {
      List<ColumnDef> columns = new ArrayList<>(def.columns());
      columns.add(column);
      return new TableDef(table, columns, def.primaryKey());
    }, Map.of());
  }

  /** ALTER TABLE ... DROP COLUMN: rows and later binlog rows lose it. */
  public String dropColumn(String table, String column) {
    return alter(table, "alter table " + table + " drop column " + column, def -> new TableDef(table,
        def.columns().stream().filter(c -> !c.name().equals(column)).toList(), def.primaryKey()), Map.of());
  }

  /** ALTER TABLE ... RENAME COLUMN: the values stay, under the new name. */
  public String renameColumn(String table, String from, String to) {
    return alter(table, "alter table " + table + " rename column " + from + " to " + to, def -> new TableDef(table,
        def.columns().stream().map(c -> c.name().equals(from)
            ? new ColumnDef(to, c.columnType(), c.nullable(), c.collation()) : c).toList(),
        def.primaryKey().stream().map(k -> k.equals(from) ? to : k).toList()), Map.of(to, from));
  }

  /**
   * Changes a table's columns and writes the statement to the binlog (as VGTID then DDL). Binlog
   * rows keep the columns they were written with, as tablets that track schema versions read them.
   *
   * @param renamed new column name to the old one it takes its values from
   */
  private String alter(String table, String statement, java.util.function.UnaryOperator<TableDef> change,
      Map<String, String> renamed) {
    vitess.lock.lock();
    try {
      checkServing();
      FakeTable before = table(table);
      TableDef after = change.apply(before.def());
      FakeTable altered = new FakeTable(after);
      for (List<String> row : before.rows().values()) {
        List<String> values = new ArrayList<>();
        for (ColumnDef column : after.columns()) {
          String source = renamed.getOrDefault(column.name(), column.name());
          boolean kept = before.def().columns().stream().anyMatch(c -> c.name().equals(source));
          values.add(kept ? row.get(before.def().indexOf(source)) : null);
        }
        altered.insert(values);
      }
      tables.put(table, altered);
      binlog.add(new BinlogEntry(BinlogEntry.Kind.DDL, now(), List.of(), statement, null));
      vitess.changed();
      return positionAt(binlog.size());
    } finally {
      vitess.lock.unlock();
    }
  }

  /** Forgets the binlog up to transaction {@code n}: positions before it are lost. */
  public void purgeBinlogsThrough(long n) {
    vitess.lock.lock();
    try {
      if (n > binlog.size()) {
        throw new IllegalArgumentException("only " + binlog.size() + " transactions on " + this);
      }
      purgedThrough = Math.max(purgedThrough, n);
      vitess.changed();
    } finally {
      vitess.lock.unlock();
    }
  }

  /** The table's rows in primary-key order. */
  public List<List<String>> rows(String table) {
    vitess.lock.lock();
    try {
      return new ArrayList<>(table(table).rows().values());
    } finally {
      vitess.lock.unlock();
    }
  }

  public boolean retired() {
    vitess.lock.lock();
    try {
      return retired;
    } finally {
      vitess.lock.unlock();
    }
  }

  @Override
  public String toString() {
    return keyspace.name() + "/" + name;
  }

  // --- used under the lock by the keyspace and by streams ---

  FakeTable table(String table) {
    FakeTable t = tables.get(table);
    if (t == null) {
      throw new IllegalArgumentException("no table " + table + " on " + this);
    }
    return t;
  }

  Map<String, FakeTable> tables() {
    return tables;
  }

  BinlogEntry entry(long n) {
    return binlog.get((int) (n - 1));
  }

  long size() {
    return binlog.size();
  }

  long purgedThrough() {
    return purgedThrough;
  }

  void retire(Binlogdata.Journal journal) {
    binlog.add(new BinlogEntry(BinlogEntry.Kind.JOURNAL, now(), List.of(), null, journal));
    retired = true;
  }

  private void checkServing() {
    if (retired) {
      throw new IllegalStateException(this + " was resharded away and takes no more writes");
    }
  }

  private long now() {
    return vitess.clock().instant().getEpochSecond();
  }

  private BinlogEntry.Statement apply(FakeTransaction.Op op, List<Runnable> undo) {
    List<BinlogEntry.Change> changes = new ArrayList<>();
    String tableName;
    FakeTable t;
    if (op instanceof FakeTransaction.Insert insert) {
      tableName = insert.table();
      t = table(tableName);
      for (List<String> row : insert.rows()) {
        t.insert(row);
        undo.add(() -> t.delete(t.def().keyOf(row)));
        changes.add(new BinlogEntry.Change(null, row));
      }
    } else if (op instanceof FakeTransaction.Update update) {
      tableName = update.table();
      t = table(tableName);
      for (List<String> row : update.rows()) {
        List<String> before = t.update(row);
        undo.add(() -> t.update(before));
        changes.add(new BinlogEntry.Change(before, row));
      }
    } else {
      FakeTransaction.Delete delete = (FakeTransaction.Delete) op;
      tableName = delete.table();
      t = table(tableName);
      for (List<String> key : delete.keys()) {
        List<String> before = t.delete(key);
        undo.add(() -> t.insert(before));
        changes.add(new BinlogEntry.Change(before, null));
      }
    }
    return new BinlogEntry.Statement(t.def(), changes);
  }
}
