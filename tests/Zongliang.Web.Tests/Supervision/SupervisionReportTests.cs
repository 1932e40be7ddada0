using Xunit;
using Zongliang.Web.Features.Supervision;

namespace Zongliang.Web.Tests.Supervision;

public sealed class SupervisionReportTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("青川化工有限公司", "青川化工有限公司")]
    public void ATextCellThatASpreadsheetWouldReadAsAFormulaIsEscaped(string text, string cell) =>
        Assert.Equal(cell, SupervisionReport.Csv(text));

    [Fact]
    public void NegativeNumbersStayNumbers() => Assert.Equal("-0.25", SupervisionReport.Csv(-0.25));
}
