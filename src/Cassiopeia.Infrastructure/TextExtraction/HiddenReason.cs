namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>Why a human reader would not see a block (<see cref="Core.Ingestion.TextBlock.Hidden"/>).</summary>
public static class HiddenReason
{
    public const string HiddenText = "hidden text";
    public const string WhiteText = "white text";
    public const string TinyText = "tiny text";
    public const string Transparent = "transparent text";
    public const string OutsidePage = "outside the page";
    public const string Invisible = "invisible text";
    public const string BackgroundColour = "text the colour of its background";
}
