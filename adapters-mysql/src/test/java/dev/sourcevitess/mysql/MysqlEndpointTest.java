package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MysqlEndpointTest {
  @Test
  void standardReadsTheDatabaseItself() {
    MysqlEndpoint e = endpoint("db.example.com", "shop", ReplicationMethod.STANDARD, true, true);
    assertEquals("jdbc:mysql://db.example.com:3306/shop", e.url());
    assertEquals("shop", e.keyspace());
  }

  @Test
  void vstreamTargetsTheTabletTypeButQueriesTheKeyspace() {
    assertEquals("jdbc:mysql://h:3306/shop@replica", endpoint("h", "shop", ReplicationMethod.VSTREAM, true, false).url());
    assertEquals("jdbc:mysql://h:3306/shop@rdonly", endpoint("h", "shop", ReplicationMethod.VSTREAM, true, true).url());
    assertEquals("jdbc:mysql://h:3306/shop", endpoint("h", "shop", ReplicationMethod.VSTREAM, false, false).url());
    assertEquals("shop", endpoint("h", "shop", ReplicationMethod.VSTREAM, true, false).keyspace());
  }

  @Test
  void oddNamesAndIpv6HostsSurviveTheUrl() {
    assertEquals("jdbc:mysql://[::1]:3306/my%20shop%2Fx%3F%C3%A9", endpoint("::1", "my shop/x?é", ReplicationMethod.STANDARD, false, false).url());
  }

  @Test
  void scrubbingReplacesEveryOccurrence() {
    MysqlEndpoint e = endpoint("h", "shop", ReplicationMethod.STANDARD, false, false);
    assertEquals("a ****** b ******", e.scrub("a hunter2 b hunter2"));
    assertEquals("", e.scrub(null));
  }

  private static MysqlEndpoint endpoint(String host, String db, ReplicationMethod method, boolean replica, boolean rdonly) {
    return new MysqlEndpoint(new SourceConfig(host, 3306, 443, db, "user", new Secret("hunter2"), TlsMode.VERIFY_IDENTITY,
        method, List.of(), replica, rdonly, false, Map.of(), 3, 30, false, true, Optional.empty(), 1));
  }
}
