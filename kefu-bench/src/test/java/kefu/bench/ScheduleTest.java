package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final long START = 5_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  @Test
  void messages_are_due_at_even_intervals_from_the_start() {
    Schedule s = new Schedule(START, 200, 64);
    assertThat(s.dueAt(0)).isEqualTo(START);
    assertThat(s.dueAt(1)).isEqualTo(START + 5_000_000);
    assertThat(s.dueAt(199)).isEqualTo(START + 995_000_000);
    assertThat(s.dueAt(200)).isEqualTo(START + SECOND);
  }

  @Test
  void a_rate_that_does_not_divide_a_second_rounds_each_due_time_down_without_drifting() {
    Schedule s = new Schedule(START, 3, 1);
    assertThat(s.dueAt(1)).isEqualTo(START + 333_333_333);
    assertThat(s.dueAt(2)).isEqualTo(START + 666_666_666);
    assertThat(s.dueAt(3)).isEqualTo(START + SECOND);
    // ten minutes at 7/s: adding a rounded interval 4,200 times would be 4,200 ns early; the schedule is exact
    assertThat(new Schedule(START, 7, 1).dueAt(7 * 600)).isEqualTo(START + 600 * SECOND);
  }

  @Test
  void due_times_never_go_backwards_and_at_most_one_nanosecond_apart_from_the_ideal() {
    Schedule s = new Schedule(0, 997, 64);
    for (long k = 1; k < 10_000; k++) {
      assertThat(s.dueAt(k)).isGreaterThan(s.dueAt(k - 1));
      double ideal = k * 1e9 / 997;
      assertThat((double) s.dueAt(k)).isBetween(ideal - 1, ideal);
    }
  }

  @Test
  void users_take_the_messages_round_robin() {
    Schedule s = new Schedule(START, 100, 4);
    List<Integer> users = new ArrayList<>();
    for (long k = 0; k < 9; k++) {
      users.add(s.user(k));
    }
    assertThat(users).containsExactly(0, 1, 2, 3, 0, 1, 2, 3, 0);
    // so each user sends one every users / rate seconds
    assertThat(s.dueAt(4) - s.dueAt(0)).isEqualTo(40_000_000);
  }

  @Test
  void due_before_counts_the_messages_due_strictly_before_an_instant() {
    Schedule s = new Schedule(START, 200, 64);
    assertThat(s.dueBefore(START - 1)).isZero();
    assertThat(s.dueBefore(START)).isZero();
    assertThat(s.dueBefore(START + 1)).isEqualTo(1);
    assertThat(s.dueBefore(START + 5_000_000)).isEqualTo(1);
    assertThat(s.dueBefore(START + 5_000_001)).isEqualTo(2);
    assertThat(s.dueBefore(START + SECOND)).isEqualTo(200);
  }

  @Test
  void due_before_is_the_index_of_the_first_message_due_at_or_after_the_instant() {
    Schedule s = new Schedule(START, 3, 2);
    for (long t = START - 10; t < START + 3 * SECOND; t += 7_777_777) {
      long k = s.dueBefore(t);
      assertThat(s.dueAt(k)).isGreaterThanOrEqualTo(t);
      if (k > 0) {
        assertThat(s.dueAt(k - 1)).isLessThan(t);
      }
    }
  }

  @Test
  void a_window_of_whole_seconds_holds_rate_times_seconds_messages() {
    Schedule s = new Schedule(START, 300, 64);
    long from = START + 2 * SECOND;
    long to = from + 8 * SECOND;
    assertThat(s.dueBefore(to) - s.dueBefore(from)).isEqualTo(2_400);
    assertThat(new Schedule(START, 7, 3).dueBefore(START + 8 * SECOND)).isEqualTo(56);
  }

  @Test
  void the_users_shares_add_up_to_the_messages_and_differ_by_at_most_one() {
    Schedule s = new Schedule(START, 100, 64);
    for (long messages : new long[] {0, 1, 63, 64, 65, 1_000}) {
      long total = 0;
      long least = Long.MAX_VALUE;
      long most = 0;
      for (int u = 0; u < 64; u++) {
        long n = s.countOf(u, messages);
        long byHand = 0;
        for (long k = u; k < messages; k += 64) {
          byHand++;
        }
        assertThat(n).isEqualTo(byHand);
        total += n;
        least = Math.min(least, n);
        most = Math.max(most, n);
      }
      assertThat(total).isEqualTo(messages);
      assertThat(most - least).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void a_rate_or_user_count_under_one_is_refused() {
    assertThatThrownBy(() -> new Schedule(START, 0, 64)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Schedule(START, 100, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Schedule(START, 100, 1).dueAt(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
