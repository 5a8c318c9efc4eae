package dev.sourcevitess.vstream;

import binlogdata.Binlogdata;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TabletType;
import dev.sourcevitess.domain.port.ChangeStreams;
import io.vitess.proto.Topodata;
import io.vitess.proto.Vtgate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The VStreamRequests the adapter sends, built from the port's requests and the configuration. */
final class VStreamRequests {
  /** The position that asks VTGate for where each shard is now. */
  static final String CURRENT = "current";
  /** The filter of a position peek: any table; VTGate uses the same rule when none is given. */
  static final String MATCH_ALL = "/.*";

  private VStreamRequests() {}

  /** One {@code current} stream over every shard of {@code keyspace} (an empty shard means all). */
  static Vtgate.VStreamRequest current(String keyspace, SourceConfig config) {
    return Vtgate.VStreamRequest.newBuilder()
        .setTabletType(tabletType(config.tabletType()))
        .setVgtid(Binlogdata.VGtid.newBuilder()
            .addShardGtids(Binlogdata.ShardGtid.newBuilder()
                .setKeyspace(keyspace).setShard("").setGtid(CURRENT)))
        .setFilter(Binlogdata.Filter.newBuilder()
            .addRules(Binlogdata.Rule.newBuilder().setMatch(MATCH_ALL)))
        .setFlags(Vtgate.VStreamFlags.newBuilder().setCells(cells(config)))
        .build();
  }

  /**
   * {@link #current}'s bytes, written without the generated classes (see {@link ProtoWriter});
   * the field numbers are the generated constants, which the compiler copies in.
   */
  static byte[] currentBytes(String keyspace, SourceConfig config) {
    ProtoWriter shard = new ProtoWriter()
        .string(Binlogdata.ShardGtid.KEYSPACE_FIELD_NUMBER, keyspace)
        .string(Binlogdata.ShardGtid.GTID_FIELD_NUMBER, CURRENT);
    ProtoWriter rule = new ProtoWriter().string(Binlogdata.Rule.MATCH_FIELD_NUMBER, MATCH_ALL);
    return new ProtoWriter()
        .varint(Vtgate.VStreamRequest.TABLET_TYPE_FIELD_NUMBER, tabletTypeNumber(config.tabletType()))
        .message(Vtgate.VStreamRequest.VGTID_FIELD_NUMBER,
            new ProtoWriter().message(Binlogdata.VGtid.SHARD_GTIDS_FIELD_NUMBER, shard))
        .message(Vtgate.VStreamRequest.FILTER_FIELD_NUMBER,
            new ProtoWriter().message(Binlogdata.Filter.RULES_FIELD_NUMBER, rule))
        .message(Vtgate.VStreamRequest.FLAGS_FIELD_NUMBER,
            new ProtoWriter().string(Vtgate.VStreamFlags.CELLS_FIELD_NUMBER, cells(config)))
        .toByteArray();
  }

  /**
   * The stream of the request's tables (one filter rule each) from each start. Journal events are
   * asked for so that a reshard shows in the stream (VTGate follows it either way, as
   * {@code stop_on_reshard} stays off, when every source shard is in the stream).
   */
  static Vtgate.VStreamRequest stream(
      ChangeStreams.Request request, SourceConfig config, Duration heartbeatInterval) {
    Binlogdata.VGtid.Builder vgtid = Binlogdata.VGtid.newBuilder();
    for (ChangeStreams.Start start : request.starts()) {
      Binlogdata.ShardGtid.Builder shard = Binlogdata.ShardGtid.newBuilder()
          .setKeyspace(request.keyspace())
          .setShard(start.shard().name())
          .setGtid(start.position());
      if (start.lastPk() != null) {
        // the port allows a last key only in a request of one table
        shard.addTablePKs(Binlogdata.TableLastPK.newBuilder()
            .setTableName(request.tables().get(0))
            .setLastpk(LastKeyProto.toQueryResult(start.lastPk())));
      }
      vgtid.addShardGtids(shard);
    }
    Binlogdata.Filter.Builder filter = Binlogdata.Filter.newBuilder();
    for (String table : request.tables()) {
      filter.addRules(Binlogdata.Rule.newBuilder().setMatch(table).setFilter(select(table, request.columnsOf(table))));
    }
    return Vtgate.VStreamRequest.newBuilder()
        .setTabletType(tabletType(config.tabletType()))
        .setVgtid(vgtid)
        .setFilter(filter)
        .setFlags(Vtgate.VStreamFlags.newBuilder()
            .setMinimizeSkew(true)
            .setHeartbeatInterval((int) Math.max(1, heartbeatInterval.toSeconds()))
            .setCells(cells(config))
            .setIncludeReshardJournalEvents(true))
        .build();
  }

  static Topodata.TabletType tabletType(TabletType type) {
    return Topodata.TabletType.forNumber(tabletTypeNumber(type));
  }

  /**
   * The generated enum's numbers, which the compiler copies in: the enum itself checks the
   * protobuf runtime's version when first used, which sets up java.util.logging (20-30 ms).
   */
  private static int tabletTypeNumber(TabletType type) {
    return switch (type) {
      case PRIMARY -> Topodata.TabletType.PRIMARY_VALUE;
      case REPLICA -> Topodata.TabletType.REPLICA_VALUE;
      case RDONLY -> Topodata.TabletType.RDONLY_VALUE;
    };
  }

  /**
   * {@code SELECT `a`, `b` FROM `t`}, or {@code SELECT * FROM `t`} when no column is named; back
   * quotes in names doubled as MySQL quotes them. VTGate then sends only these columns.
   */
  static String select(String table, List<String> columns) {
    String list = columns.isEmpty() ? "*"
        : columns.stream().map(VStreamRequests::quote).collect(Collectors.joining(", "));
    return "SELECT " + list + " FROM " + quote(table);
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** The configured cells, or PlanetScale's cell, which its own connector always names. */
  static String cells(SourceConfig config) {
    return config.cells().map(String::trim).filter(c -> !c.isEmpty())
        .orElse(SourceConfig.PLANETSCALE_CELL);
  }
}
