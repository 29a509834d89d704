using System.Reflection;

namespace VfioKit.Tests.Suite;

/// <summary>
/// Every test of this suite can reach an assertion (issue 10: cases that returned without asserting).
/// Early returns on one branch are not seen by this check; FixTests, QemuCommandLineTests and the other
/// data-driven classes assert on every row instead of returning.
/// </summary>
public sealed class EveryTestAssertsTests
{
    private static IEnumerable<MethodInfo> Tests() => typeof(EveryTestAssertsTests).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttributes().Any(a => a is FactAttribute));

    [Fact]
    public void Every_test_method_reaches_an_assertion()
    {
        var tests = Tests().ToList();
        Assert.True(tests.Count > 400, $"only {tests.Count} test methods found: the walk missed some");
        var silent = tests.Where(m => !AssertionReach.Reaches(m)).Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToList();
        Assert.Empty(silent);
    }

    [Fact]
    public void The_check_tells_a_silent_method_from_one_that_asserts()
    {
        Assert.False(AssertionReach.Reaches(typeof(Samples).GetMethod(nameof(Samples.OnlyRuns))!));
        Assert.True(AssertionReach.Reaches(typeof(Samples).GetMethod(nameof(Samples.AssertsInALambda))!));
        Assert.True(AssertionReach.Reaches(typeof(Samples).GetMethod(nameof(Samples.AssertsAfterAwait))!));
        Assert.True(AssertionReach.Reaches(typeof(Samples).GetMethod(nameof(Samples.AssertsThroughAHelper))!));
    }

    // Not tests: the checker's own cases.
    private static class Samples
    {
        public static void OnlyRuns() => _ = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static void AssertsInALambda() => new[] { 1, 2 }.ToList().ForEach(i => Assert.True(i > 0));

        public static async Task AssertsAfterAwait()
        {
            await Task.Yield();
            Assert.Equal(2, 1 + 1);
        }

        public static void AssertsThroughAHelper() => Check(3);

        private static void Check(int value)
        {
            if (value < 0)
                throw new Xunit.Sdk.XunitException("negative");
        }
    }
}
