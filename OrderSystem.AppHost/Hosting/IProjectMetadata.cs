namespace OrderSystem.AppHost.Hosting;

/// <summary>Where a referenced project and its build output are; generated per ProjectReference as <c>Projects.&lt;Name&gt;</c>.</summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }

    string TargetPath { get; }
}
