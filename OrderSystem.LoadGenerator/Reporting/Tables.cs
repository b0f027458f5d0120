using Spectre.Console;

namespace OrderSystem.LoadGenerator.Reporting;

internal static class Tables
{
    /// <summary>A table whose first column is a name and whose other columns are right-aligned figures.</summary>
    public static Table Create(string title, string nameColumn, params string[] figureColumns)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn(nameColumn);
        foreach (var column in figureColumns)
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        return table;
    }
}
