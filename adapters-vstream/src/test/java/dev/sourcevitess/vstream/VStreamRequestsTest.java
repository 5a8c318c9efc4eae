package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import binlogdata.Binlogdata;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreams;
import io.vitess.proto.Query;
import io.vitess.proto.Topodata;
import io.vitess.proto.Vtgate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VStreamRequestsTest {
  private static SourceConfig config(boolean replica, boolean rdonly, Optional<String> cells) {
    return TestConfigs.config("h", 443, TlsMode.VERIFY_IDENTITY, "u", "p", 60, replica, rdonly, cells);
  }

  @Test
  void tabletTypesFollowTheConfiguration() {
    ChangeStreams.Request request = new ChangeStreams.Request("commerce", "customer",
        List.of(new ChangeStreams.Start(Shard.UNSHARDED, "", null)));
    assertEquals(Topodata.TabletType.PRIMARY, VStreamRequests.stream(request,
        config(false, false, Optional.empty()), Duration.ofSeconds(10)).getTabletType());
    assertEquals(Topodata.TabletType.REPLICA, VStreamRequests.stream(request,
        config(true, false, Optional.empty()), Duration.ofSeconds(10)).getTabletType());
    assertEquals(Topodata.TabletType.RDONLY, VStreamRequests.stream(request,
        config(true, true, Optional.empty()), Duration.ofSeconds(10)).getTabletType());
    assertEquals(Topodata.TabletType.RDONLY, VStreamRequests.current("commerce",
        config(false, true, Optional.empty())).getTabletType());
  }

  @Test
  void aStreamNamesEachStartItsTableAndFlags() {
    LastKey lastKey = new LastKey(List.of(KeyValue.text("id", Query.Type.INT64_VALUE, "41"),
        new KeyValue("region", Query.Type.VARCHAR_VALUE, null)));
    ChangeStreams.Request request = new ChangeStreams.Request("commerce", "order`s", List.of(
        new ChangeStreams.Start(new Shard("-80"), "MySQL56/a:1-9", null),
        new ChangeStreams.Start(new Shard("80-"), "MySQL56/b:1-3", lastKey),
        new ChangeStreams.Start(new Shard("c0-"), "", null)));

    Vtgate.VStreamRequest built = VStreamRequests.stream(
        request, config(false, false, Optional.empty()), Duration.ofSeconds(10));

    List<Binlogdata.ShardGtid> shards = built.getVgtid().getShardGtidsList();
    assertEquals(List.of("-80", "80-", "c0-"), shards.stream().map(Binlogdata.ShardGtid::getShard).toList());
    assertEquals(List.of("MySQL56/a:1-9", "MySQL56/b:1-3", ""),
        shards.stream().map(Binlogdata.ShardGtid::getGtid).toList());
    assertTrue(shards.stream().allMatch(s -> s.getKeyspace().equals("commerce")));
    assertEquals(0, shards.get(0).getTablePKsCount());
    Binlogdata.TableLastPK pk = shards.get(1).getTablePKs(0);
    assertEquals("order`s", pk.getTableName());
    assertEquals(lastKey, LastKeyProto.fromQueryResult(pk.getLastpk()));
    assertEquals(List.of(2L, -1L), pk.getLastpk().getRows(0).getLengthsList());

    assertEquals(1, built.getFilter().getRulesCount());
    assertEquals("order`s", built.getFilter().getRules(0).getMatch());
    assertEquals("SELECT * FROM `order``s`", built.getFilter().getRules(0).getFilter());

    Vtgate.VStreamFlags flags = built.getFlags();
    assertTrue(flags.getMinimizeSkew());
    assertEquals(10, flags.getHeartbeatInterval());
    assertEquals("planetscale_operator_default", flags.getCells());
    assertTrue(flags.getIncludeReshardJournalEvents());
    assertFalse(flags.getStopOnReshard());
    assertFalse(flags.getExcludeKeyspaceFromTableName());
  }

  @Test
  void aStreamOfSomeColumnsSelectsThemQuotedAsMysqlQuotes() {
    ChangeStreams.Request request = new ChangeStreams.Request("commerce", "order`s",
        List.of(new ChangeStreams.Start(Shard.UNSHARDED, "", null)), List.of("id", "odd`name", "a b"));
    assertEquals("SELECT `id`, `odd``name`, `a b` FROM `order``s`", VStreamRequests.stream(request,
        config(false, false, Optional.empty()), Duration.ofSeconds(5)).getFilter().getRules(0).getFilter());
  }

  @Test
  void configuredCellsWin() {
    ChangeStreams.Request request = new ChangeStreams.Request("commerce", "customer",
        List.of(new ChangeStreams.Start(Shard.UNSHARDED, "", null)));
    assertEquals("zone1,zone2", VStreamRequests.stream(request,
        config(false, false, Optional.of(" zone1,zone2 ")), Duration.ofSeconds(5)).getFlags().getCells());
    assertEquals("planetscale_operator_default", VStreamRequests.stream(request,
        config(false, false, Optional.of("  ")), Duration.ofSeconds(5)).getFlags().getCells());
  }

  @Test
  void aPeekAsksForEveryShardAtCurrent() {
    Vtgate.VStreamRequest built = VStreamRequests.current("commerce", config(true, false, Optional.empty()));
    assertEquals(1, built.getVgtid().getShardGtidsCount());
    Binlogdata.ShardGtid only = built.getVgtid().getShardGtids(0);
    assertEquals("commerce", only.getKeyspace());
    assertEquals("", only.getShard());
    assertEquals("current", only.getGtid());
    assertEquals("/.*", built.getFilter().getRules(0).getMatch());
    assertEquals(Topodata.TabletType.REPLICA, built.getTabletType());
    assertEquals("planetscale_operator_default", built.getFlags().getCells());
  }

  @Test
  void aKeyspaceStreamHasOneRulePerTableEachSelectingItsOwnColumns() {
    ChangeStreams.Request request = new ChangeStreams.Request("commerce", List.of("customer", "orders"),
        List.of(new ChangeStreams.Start(new Shard("-80"), "MySQL56/a:1-9", null)),
        Map.of("customer", List.of("id", "email")));

    List<Binlogdata.Rule> rules = VStreamRequests.stream(
        request, config(false, false, Optional.empty()), Duration.ofSeconds(10)).getFilter().getRulesList();

    assertEquals(List.of("customer", "orders"), rules.stream().map(Binlogdata.Rule::getMatch).toList());
    assertEquals("SELECT `id`, `email` FROM `customer`", rules.get(0).getFilter());
    assertEquals("SELECT * FROM `orders`", rules.get(1).getFilter());
  }
}
