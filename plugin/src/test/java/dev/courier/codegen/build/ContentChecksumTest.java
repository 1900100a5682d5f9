package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentChecksumTest {

  @Test
  void isCrc32cThenCrc32ThenTheLength() {
    // The standard check values of both polynomials, for the nine bytes "123456789".
    assertThat(ContentChecksum.of("123456789".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("e3069283" + "cbf43926" + "00000009");
  }

  @Test
  void anyChangedByteChangesIt() {
    byte[] proto = "syntax = \"proto3\";\nmessage Book { string isbn = 1; }\n".getBytes(StandardCharsets.UTF_8);
    String before = ContentChecksum.of(proto);
    for (int i = 0; i < proto.length; i++) {
      byte[] edited = proto.clone();
      edited[i] ^= 1;
      assertThat(ContentChecksum.of(edited)).as("byte %d flipped", i).isNotEqualTo(before);
    }
  }

  @Test
  void stringsAddedApartDifferFromTheirConcatenation() {
    assertThat(new ContentChecksum().add("ab").add("c").hex())
        .isNotEqualTo(new ContentChecksum().add("a").add("bc").hex())
        .isNotEqualTo(new ContentChecksum().add("abc").hex());
  }

  @Test
  void anEmptyAddChangesNothingButAnEmptyStringDoes() {
    assertThat(new ContentChecksum().add(new byte[0]).hex()).isEqualTo(new ContentChecksum().hex());
    assertThat(new ContentChecksum().add("").hex()).isNotEqualTo(new ContentChecksum().hex());
  }
}
