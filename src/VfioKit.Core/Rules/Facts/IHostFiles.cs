namespace VfioKit.Rules;

/// <summary>The VM host's file system as VK207 needs it; given only when lint runs on that host.</summary>
public interface IHostFiles
{
    bool IsReadable(string path);
}
