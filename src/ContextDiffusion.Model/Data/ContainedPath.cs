namespace ContextDiffusion.Model.Data;

/// <summary>
/// Resolves a relative path that came from outside (a manifest line, a dataset's domain or item id) under the
/// folder it must stay in, and refuses one that would leave it. Joining and checking the text is not enough:
/// an absolute path replaces the folder when joined, '..' climbs out of it, and a symbolic link inside the
/// folder may lead anywhere while its name looks contained. So the path is normalized and checked, then every
/// existing component is followed link by link, as the operating system would open it, and the place it really
/// leads to must still be inside the folder's own real location.
/// </summary>
public static class ContainedPath
{
    /// <summary>As many links as Linux follows in one lookup (MAXSYMLINKS) before it gives up with ELOOP.</summary>
    private const int MaxLinks = 40;

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, with no symbolic link left in it.</summary>
    /// <exception cref="PathOutsideRootException">The path is empty, absolute, leaves the root or leads out through a link.</exception>
    public static string Resolve(string root, string relative)
    {
        if (relative.Length == 0) throw new PathOutsideRootException("the path is empty");
        if (relative.Contains('\0')) throw new PathOutsideRootException($"'{relative.Replace('\0', '?')}' contains a NUL character");
        if (Path.IsPathRooted(relative)) throw new PathOutsideRootException($"'{relative}' is an absolute path");
        var top = Path.GetFullPath(root);
        var path = Path.GetFullPath(Path.Combine(top, relative));
        if (!IsInside(top, path)) throw new PathOutsideRootException($"'{relative}' leads outside its folder");
        var real = RealPath(path);
        if (!IsInside(RealPath(top), real)) throw new PathOutsideRootException($"'{relative}' leads outside its folder through a symbolic link");
        return real;
    }

    private static bool IsInside(string top, string path) =>
        path.StartsWith(Path.EndsInDirectorySeparator(top) ? top : top + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The full path with every symbolic link along it replaced by its target, one link at a time, each target read
    /// relative to the real folder that holds the link (so a '..' in a target climbs from where the link really is).
    /// Components that do not exist are kept as they are.
    /// </summary>
    private static string RealPath(string fullPath)
    {
        var pending = new Stack<string>();
        Push(pending, fullPath);
        var current = Path.GetPathRoot(fullPath)!;
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) throw new PathOutsideRootException($"the path goes through more than {MaxLinks} symbolic links");
            if (Path.IsPathRooted(target)) current = Path.GetPathRoot(target)!;
            Push(pending, target);
        }
        return current;
    }

    private static void Push(Stack<string> pending, string path)
    {
        foreach (var part in path.Split(Path.DirectorySeparatorChar).Reverse()) pending.Push(part);
    }
}
