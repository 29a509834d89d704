namespace VfioKit.Run;

/// <summary>
/// The one engine for host changes: each step is written to the journal before it is made, made, read back, and
/// marked done; a failure, a read-back that disagrees or a stop request undoes everything made so far, in reverse.
/// <see cref="Restore"/> undoes a journal, whether this process wrote it a moment ago or one that crashed did.
/// </summary>
public static class HostChanges
{
    /// <summary>Makes <paramref name="steps"/>. On failure everything is undone and the exception is rethrown
    /// (a <see cref="HostChangeException"/> whose message says what failed and whether the undo was complete).</summary>
    /// <param name="stopRequested">Checked between steps (a signal arrived): stops and undoes.</param>
    /// <param name="written">Told of each write made, for progress output.</param>
    public static void Apply(IHostFiles files, string journalPath, Journal journal, IReadOnlyList<HostStep> steps,
        Func<bool>? stopRequested = null, Action<HostWrite>? written = null)
    {
        try
        {
            foreach (var step in steps)
            {
                if (stopRequested?.Invoke() == true) throw new HostChangeException("stopped by a signal");
                journal = journal.Add(step);
                JournalFile.Write(journalPath, journal);
                var made = 0;
                foreach (var write in step.Apply())
                {
                    try { files.Write(write); }
                    catch (HostChangeException) when (made == 0)
                    {
                        // Its first write refused: this step changed nothing, and its undo must not try to write
                        // to the very file that just refused (a directory in its place, a device gone).
                        journal = journal.With(journal.Entries.Count - 1, StepState.Undone);
                        JournalFile.Write(journalPath, journal);
                        throw;
                    }
                    made++;
                    written?.Invoke(write);
                }
                if (step.Verify(files) is { } wrong) throw new HostChangeException($"{step.Describe()}: {wrong}");
                journal = journal.With(journal.Entries.Count - 1, StepState.Applied);
                JournalFile.Write(journalPath, journal);
            }
        }
        catch (Exception e) when (e is HostChangeException or IOException or UnauthorizedAccessException)
        {
            var undo = Restore(files, journalPath, written);
            var tail = undo.Complete
                ? "; everything done before it was undone"
                : $"; undo incomplete ({string.Join("; ", undo.Failures)}), journal kept at {journalPath}: run `vfiokit restore {journal.Name}`";
            throw new HostChangeException(e.Message + tail, e);
        }
    }

    /// <summary>Undoes the journal at <paramref name="journalPath"/> in reverse; every step is tried even when one
    /// fails. The journal is removed only when all is undone. Nothing to do when there is no journal.</summary>
    public static RestoreResult Restore(IHostFiles files, string journalPath, Action<HostWrite>? written = null)
    {
        var journal = JournalFile.Read(journalPath);
        if (journal is null) return new RestoreResult([], []);
        var undone = new List<string>();
        var failures = new List<string>();
        for (var i = journal.Entries.Count - 1; i >= 0; i--)
        {
            var step = journal.Entries[i].Step;
            if (journal.Entries[i].State == StepState.Undone) continue;
            try
            {
                foreach (var write in step.Undo(files))
                {
                    files.Write(write);
                    written?.Invoke(write);
                }
                if (step.VerifyUndone(files) is { } wrong) throw new HostChangeException(wrong);
                journal = journal.With(i, StepState.Undone);
                JournalFile.Write(journalPath, journal);
                undone.Add(step.Describe());
            }
            catch (Exception e) when (e is HostChangeException or IOException or UnauthorizedAccessException)
            {
                failures.Add($"undo of \"{step.Describe()}\": {e.Message}");
            }
        }
        if (failures.Count == 0) JournalFile.Delete(journalPath);
        return new RestoreResult(undone, failures);
    }
}
