package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.domain.model.GtidSet;
import dev.sourcevitess.domain.model.MariaDbGtidSet;
import java.util.List;

/**
 * How a fake shard's primary spells its positions, shared by the fakes of VTGate: after
 * transaction n of its binlog it stands at {@code MySQL56/<uuid>:1-n} on MySQL, and at
 * {@code MariaDB/0-<serverId>-n} (domain 0) on MariaDB.
 */
public record FakeGtids(String uuid, long serverId) {

  public String positionAt(GtidPosition.Flavor flavor, long n) {
    return flavor == GtidPosition.Flavor.MARIADB ? "MariaDB/0-" + serverId + "-" + n
        : "MySQL56/" + uuid + ":" + (n == 1 ? "1" : "1-" + n);
  }

  /**
   * The transaction after which the shard stood at {@code position}, or -1 when the position is
   * none of its own: another flavor, server or UUID, or a set with gaps.
   */
  public long transactionAt(GtidPosition.Flavor flavor, GtidPosition position) {
    if (position.flavor() != flavor) {
      return -1;
    }
    if (position instanceof MariaDbGtidSet mariaDb) {
      MariaDbGtidSet.Gtid gtid = mariaDb.in(0);
      return mariaDb.gtids().size() == 1 && gtid != null && gtid.server() == serverId ? gtid.sequence() : -1;
    }
    List<GtidSet.Interval> intervals = ((GtidSet) position).intervals().get(uuid);
    return intervals == null || intervals.size() != 1 || intervals.get(0).start() != 1 ? -1
        : intervals.get(0).end();
  }
}
