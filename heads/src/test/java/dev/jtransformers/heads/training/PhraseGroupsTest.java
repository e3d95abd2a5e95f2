package dev.jtransformers.heads.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PhraseGroupsTest {
  @Test
  void groupsEveryPhraseWithTheLongestRowThatHoldsIt() {
    PhraseGroups groups =
        PhraseGroups.of(
            List.of(
                "great movie", // 0: in 2
                "a dull film", // 1
                "a great movie , really", // 2: the longest
                "great", // 3: in 2 (the longest holding it), not in 4
                "great film", // 4: in no longer row
                "dull")); // 5: in 1

    assertEquals(List.of(2, 1, 2, 2, 4, 1), sentences(groups));
    assertTrue(groups.isSentence(2));
    assertFalse(groups.isSentence(0));
  }

  @Test
  void matchesWholeTokensOnly() {
    PhraseGroups groups = PhraseGroups.of(List.of("a smart film", "art", "smart", "film ,"));
    assertEquals(List.of(0, 1, 0, 3), sentences(groups));
  }

  @Test
  void ignoresSpacingAndGroupsDuplicates() {
    PhraseGroups groups = PhraseGroups.of(List.of("  so  very good ", "very good", "so very good", ""));
    assertEquals(List.of(0, 0, 0, 3), sentences(groups));
  }

  @Test
  void independentRowsAreEachTheirOwnSentence() {
    PhraseGroups groups = PhraseGroups.independent(3);
    assertEquals(List.of(0, 1, 2), sentences(groups));
    assertEquals(3, groups.size());
  }

  private static List<Integer> sentences(PhraseGroups groups) {
    return IntStream.range(0, groups.size()).map(groups::sentenceOf).boxed().toList();
  }
}
