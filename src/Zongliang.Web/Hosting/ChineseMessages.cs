using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Zongliang.Web.Hosting;

/// <summary>Model-binding messages in Chinese, shown next to the field like every other validation message.</summary>
public static class ChineseMessages
{
    public static void Apply(DefaultModelBindingMessageProvider p)
    {
        p.SetValueIsInvalidAccessor(v => $"“{v}”不是有效的值");
        p.SetAttemptedValueIsInvalidAccessor((v, f) => $"“{v}”不是有效的{f}");
        p.SetValueMustBeANumberAccessor(f => $"{f}必须是数字");
        p.SetValueMustNotBeNullAccessor(f => $"请填写{f}");
        p.SetMissingBindRequiredValueAccessor(f => $"请填写{f}");
        p.SetMissingKeyOrValueAccessor(() => "请填写此项");
        p.SetMissingRequestBodyRequiredValueAccessor(() => "请求内容不能为空");
        p.SetNonPropertyAttemptedValueIsInvalidAccessor(v => $"“{v}”不是有效的值");
        p.SetNonPropertyUnknownValueIsInvalidAccessor(() => "无效的值");
        p.SetNonPropertyValueMustBeANumberAccessor(() => "必须是数字");
        p.SetUnknownValueIsInvalidAccessor(f => $"{f}的值无效");
    }
}
