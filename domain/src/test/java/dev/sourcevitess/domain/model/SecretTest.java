package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // a short password: only where it stands as a value
      "a|user name a refused|user name ****** refused",
      "a|password 'a', host a.example.com|password '******', host ******.example.com",
      "a|username|username",
      "pass|password=pass&x=1|password=******&x=1",
      "pass|passwords pass|passwords ******",
      "p@ss|u:p@ss@h and xp@ss|u:******@h and xp@ss",
      "!x!|a!x!b|a******b",
      // long enough to mask everywhere, glued to words or not
      "correct-horse|xcorrect-horsex|x******x",
      "s3cretPassw0rd|s3cretPassw0rds3cretPassw0rd|************",
  })
  void masksThePasswordWhereItStandsAsAValue(String password, String text, String masked) {
    assertEquals(masked, new Secret(password).maskIn(text));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"|anything", "aa|aaa"})
  void leavesTextWithoutThePasswordAlone(String password, String text) {
    assertEquals(text, new Secret(password == null ? "" : password).maskIn(text));
  }
}
